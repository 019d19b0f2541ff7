using System.Diagnostics;
using EcsNeural.Benchmarks.Workloads;

namespace EcsNeural.Benchmarks;

/// <summary>
/// Times a workload: warm-up steps, then timed steps; median/min/max and allocation per step. Under a
/// <see cref="BusyLoad"/> the timed steps alternate in rounds between quiet (load off) and busy (load on), so both
/// medians see the same drift of whatever else runs on the machine, and their ratio is the load's effect alone.
/// </summary>
public static class Measurement
{
    /// <summary>
    /// Warm-up lasts at least this long (and at least the requested steps), so that sub-millisecond steps reach the JIT's
    /// optimised tier-1 code before they are timed: a few steps would time tier-0 code.
    /// </summary>
    public static readonly TimeSpan MinimumWarmup = TimeSpan.FromSeconds(0.5);

    /// <summary>Quiet/busy rounds the timed steps are split into when measuring under load.</summary>
    public const int Rounds = 5;

    /// <summary>Times <paramref name="workload"/> with nothing else of ours running.</summary>
    public static BenchmarkResult Run(IWorkload workload, int warmupSteps, int timedSteps)
    {
        workload.Setup();
        WarmUp(workload, warmupSteps);
        var milliseconds = new double[timedSteps];
        long allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        TimeSteps(workload, milliseconds);
        long allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
        return Summarise(workload, milliseconds, allocated, busyThreads: 0);
    }

    /// <summary>
    /// Times <paramref name="workload"/> quiet and under <paramref name="load"/>: <paramref name="timedSteps"/> steps of
    /// each, in <see cref="Rounds"/> alternating rounds (each round's first step after switching untimed).
    /// </summary>
    public static (BenchmarkResult Quiet, BenchmarkResult Busy) RunQuietAndBusy(IWorkload workload, int warmupSteps, int timedSteps,
        BusyLoad load)
    {
        workload.Setup();
        WarmUp(workload, warmupSteps);
        load.Spinning = true;
        WarmUp(workload, warmupSteps);   // the scheduler's busy path gets compiled too
        load.Spinning = false;
        var quiet = new double[timedSteps];
        var busy = new double[timedSteps];
        long allocated = 0;
        for (int round = 0; round < Rounds; round++)
        {
            int first = round * timedSteps / Rounds, end = (round + 1) * timedSteps / Rounds;
            foreach (bool spinning in (ReadOnlySpan<bool>)[false, true])
            {
                load.Spinning = spinning;
                workload.Step();
                long allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
                TimeSteps(workload, (spinning ? busy : quiet).AsSpan(first, end - first));
                allocated += GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
            }
        }
        load.Spinning = false;
        return (Summarise(workload, quiet, allocated / 2, busyThreads: 0), Summarise(workload, busy, allocated / 2, load.Threads));
    }

    /// <summary>
    /// Times two workloads in <see cref="Rounds"/> alternating rounds of <paramref name="timedSteps"/> / <see cref="Rounds"/>
    /// steps each (each round's first step untimed), so both see the same drift of whatever else runs on the machine and
    /// their ratio is theirs alone (the portable numerics against the default).
    /// </summary>
    public static (BenchmarkResult First, BenchmarkResult Second) RunAlternating(IWorkload first, IWorkload second, int warmupSteps, int timedSteps)
    {
        IWorkload[] workloads = [first, second];
        var milliseconds = new[] { new double[timedSteps], new double[timedSteps] };
        var allocated = new long[2];
        foreach (IWorkload workload in workloads)
        {
            workload.Setup();
            WarmUp(workload, warmupSteps);
        }
        for (int round = 0; round < Rounds; round++)
        {
            int start = round * timedSteps / Rounds, end = (round + 1) * timedSteps / Rounds;
            for (int w = 0; w < 2; w++)
            {
                workloads[w].Step();
                long allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
                TimeSteps(workloads[w], milliseconds[w].AsSpan(start, end - start));
                allocated[w] += GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
            }
        }
        return (Summarise(first, milliseconds[0], allocated[0], busyThreads: 0), Summarise(second, milliseconds[1], allocated[1], busyThreads: 0));
    }

    private static void WarmUp(IWorkload workload, int warmupSteps)
    {
        long warmupStart = Stopwatch.GetTimestamp();
        for (int i = 0; i < warmupSteps || Stopwatch.GetElapsedTime(warmupStart) < MinimumWarmup; i++)
            workload.Step();
    }

    private static void TimeSteps(IWorkload workload, Span<double> milliseconds)
    {
        for (int i = 0; i < milliseconds.Length; i++)
        {
            long start = Stopwatch.GetTimestamp();
            workload.Step();
            milliseconds[i] = workload.TimedMilliseconds ?? Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        }
    }

    private static BenchmarkResult Summarise(IWorkload workload, double[] milliseconds, long allocated, int busyThreads)
    {
        Array.Sort(milliseconds);
        int n = milliseconds.Length;
        double median = n % 2 == 1 ? milliseconds[n / 2] : (milliseconds[n / 2 - 1] + milliseconds[n / 2]) / 2;
        return new BenchmarkResult(workload.Id, workload.Impl, median, milliseconds[0], milliseconds[^1],
            workload.FlopsPerStep / (median * 1e6), (double)allocated / n) { BusyThreads = busyThreads };
    }
}
