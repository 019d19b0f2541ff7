namespace EcsNeural.Tests.Support;

/// <summary>
/// Bytes a hot path allocates on the calling thread once warm. One-time runtime work — tiered JIT promotion of methods
/// called once a step, caches the runtime fills lazily — may land in any early window, so warm-up repeats windows until
/// one allocates nothing (at most <see cref="MaxWarmUpWindows"/>); the window measured after that must allocate nothing.
/// A path that keeps allocating never has a clean window and still fails.
/// </summary>
internal static class Allocations
{
    private const int MaxWarmUpWindows = 10;

    /// <summary>Bytes allocated by <paramref name="steps"/> calls of <paramref name="step"/> after warm-up.</summary>
    public static long AfterWarmUp(Action step, int steps)
    {
        for (int window = 0; window < MaxWarmUpWindows && Window(step, steps) != 0; window++)
        {
        }
        return Window(step, steps);
    }

    private static long Window(Action step, int steps)
    {
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < steps; i++)
            step();
        return GC.GetAllocatedBytesForCurrentThread() - before;
    }
}
