using EcsNeural.Ecs.Jobs;

namespace EcsNeural.Tests.Jobs;

/// <summary>
/// Keeps every background thread of a scheduler busy in a blocking job, so whatever the test
/// schedules next runs on the thread that calls Complete, nested exactly as the test arranges,
/// with any worker count. Waits are bounded so a broken test fails instead of hanging.
/// </summary>
internal sealed class BackgroundWorkerHold : IDisposable
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);

    private readonly JobScheduler _scheduler;
    private readonly CountdownEvent _started;
    private readonly ManualResetEventSlim _released = new();
    private readonly JobHandle _hold;

    private struct HoldJob(CountdownEvent started, ManualResetEventSlim released) : IJobParallelFor
    {
        public readonly void Execute(int blockIndex, int start, int end)
        {
            started.Signal();
            if (!released.Wait(Bound))
                throw new TimeoutException("the hold was never released");
        }
    }

    /// <summary>Returns once each of the scheduler's background threads runs one block of the hold.</summary>
    public BackgroundWorkerHold(JobScheduler scheduler)
    {
        _scheduler = scheduler;
        int backgroundThreads = scheduler.WorkerCount - 1;
        _started = new CountdownEvent(backgroundThreads);
        _hold = scheduler.ScheduleParallelFor(new HoldJob(_started, _released), backgroundThreads, 1);
        // Nobody calls Complete meanwhile and a held block never returns, so each block has its own thread.
        if (!_started.Wait(Bound))
            throw new TimeoutException("the background threads did not all take a block of the hold");
    }

    /// <summary>Lets the background threads go and waits for the hold to finish.</summary>
    public void Dispose()
    {
        _released.Set();
        _scheduler.Complete(_hold);
        _started.Dispose();
        _released.Dispose();
    }
}
