using System.Diagnostics;
using EcsNeural.Benchmarks.Workloads;

namespace EcsNeural.Benchmarks;

/// <summary>
/// Times workloads: warm-up steps, then timed steps; median/min/max and allocation per step. The implementations of a
/// workload, quiet and under a <see cref="BusyLoad"/>, are timed in alternating rounds, so every median sees the same
/// drift of whatever else runs on the machine and the ratios between them are theirs alone.
/// </summary>
public static class Measurement
{
    /// <summary>
    /// Warm-up lasts at least this long (and at least the requested steps), so that sub-millisecond steps reach the JIT's
    /// optimised tier-1 code before they are timed: a few steps would time tier-0 code, and on two cores the JIT's
    /// background thread competes with the job workers (half a second was not enough: W1's first implementation timed
    /// 3× slower than the same code timed after it).
    /// </summary>
    public static readonly TimeSpan MinimumWarmup = TimeSpan.FromSeconds(2);

    /// <summary>Quiet/busy rounds the timed steps are split into when measuring under load.</summary>
    public const int Rounds = 5;

    /// <summary>Times <paramref name="workload"/> alone, quiet.</summary>
    public static BenchmarkResult Run(IWorkload workload, int warmupSteps, int timedSteps)
        => RunInRounds([workload], warmupSteps, timedSteps, load: null)[0];

    /// <summary>
    /// Times every one of <paramref name="workloads"/> quiet and, with a <paramref name="load"/>, busy:
    /// <paramref name="timedSteps"/> steps of each in <see cref="Rounds"/> rounds that take every workload and load in
    /// turn (each slice's first step untimed), so all of them see the same drift of whatever else runs on the machine and
    /// the ratios between them (layout against layout, busy against quiet) are theirs alone. Returns the results
    /// workload by workload, quiet before busy.
    /// </summary>
    public static BenchmarkResult[] RunInRounds(IReadOnlyList<IWorkload> workloads, int warmupSteps, int timedSteps, BusyLoad? load)
    {
        ReadOnlySpan<bool> loads = load is null ? [false] : [false, true];
        foreach (IWorkload workload in workloads)
        {
            workload.Setup();
            foreach (bool spinning in loads)   // under load too, so the scheduler's busy path is compiled before timing
            {
                load?.Spinning = spinning;
                WarmUp(workload, warmupSteps);
            }
        }
        var milliseconds = new double[workloads.Count * loads.Length][];
        var allocated = new long[milliseconds.Length];
        for (int i = 0; i < milliseconds.Length; i++)
            milliseconds[i] = new double[timedSteps];
        for (int round = 0; round < Rounds; round++)
        {
            int first = round * timedSteps / Rounds, end = (round + 1) * timedSteps / Rounds;
            for (int w = 0; w < workloads.Count; w++)
                for (int l = 0; l < loads.Length; l++)
                {
                    load?.Spinning = loads[l];
                    workloads[w].Step();
                    int slot = w * loads.Length + l;
                    long allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
                    TimeSteps(workloads[w], milliseconds[slot].AsSpan(first, end - first));
                    allocated[slot] += GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
                }
        }
        load?.Spinning = false;
        var results = new BenchmarkResult[milliseconds.Length];
        for (int slot = 0; slot < results.Length; slot++)
            results[slot] = Summarise(workloads[slot / loads.Length], milliseconds[slot], allocated[slot],
                busyThreads: loads[slot % loads.Length] ? load!.Threads : 0);
        return results;
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
