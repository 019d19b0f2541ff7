using System.Diagnostics;
using EcsNeural.Benchmarks.Workloads;

namespace EcsNeural.Benchmarks;

/// <summary>Times a workload: warm-up steps, then timed steps; median/min/max and allocation per step.</summary>
public static class Measurement
{
    /// <summary>
    /// Warm-up lasts at least this long (and at least the requested steps), so that sub-millisecond steps reach the JIT's
    /// optimised tier-1 code before they are timed: a few steps would time tier-0 code.
    /// </summary>
    public static readonly TimeSpan MinimumWarmup = TimeSpan.FromSeconds(0.5);

    public static BenchmarkResult Run(IWorkload workload, int warmupSteps, int timedSteps)
    {
        workload.Setup();
        long warmupStart = Stopwatch.GetTimestamp();
        for (int i = 0; i < warmupSteps || Stopwatch.GetElapsedTime(warmupStart) < MinimumWarmup; i++)
            workload.Step();
        var milliseconds = new double[timedSteps];
        long allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        for (int i = 0; i < timedSteps; i++)
        {
            long start = Stopwatch.GetTimestamp();
            workload.Step();
            milliseconds[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        }
        long allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
        Array.Sort(milliseconds);
        double median = timedSteps % 2 == 1
            ? milliseconds[timedSteps / 2]
            : (milliseconds[timedSteps / 2 - 1] + milliseconds[timedSteps / 2]) / 2;
        return new BenchmarkResult(workload.Id, workload.Impl, median, milliseconds[0], milliseconds[^1],
            workload.FlopsPerStep / (median * 1e6), (double)allocated / timedSteps);
    }
}
