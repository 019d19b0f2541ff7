using EcsNeural.Ecs.Jobs;

namespace EcsNeural.Tests.Jobs;

/// <summary>
/// Hands a job handle from the thread that scheduled it to a job that needs it (its own handle, or
/// one it schedules and the test completes later). Reading waits until the handle was set, bounded,
/// so a job that starts before Schedule returned still sees it and a broken test fails instead of hanging.
/// </summary>
internal sealed class HandleSlot
{
    private readonly TaskCompletionSource<JobHandle> _handle = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public void Set(JobHandle handle) => _handle.SetResult(handle);

    public JobHandle Get()
    {
        if (!_handle.Task.Wait(TimeSpan.FromSeconds(10)))
            throw new TimeoutException("the handle was never set");
        return _handle.Task.Result;
    }
}
