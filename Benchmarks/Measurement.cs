using System.Diagnostics;
using EcsNeural.Benchmarks.Workloads;

namespace EcsNeural.Benchmarks;

/// <summary>Times a workload: warm-up steps, then timed steps; median/min/max and allocation per step.</summary>
public static class Measurement
{
    public static BenchmarkResult Run(IWorkload workload, int warmupSteps, int timedSteps)
    {
        workload.Setup();
        for (int i = 0; i < warmupSteps; i++)
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
