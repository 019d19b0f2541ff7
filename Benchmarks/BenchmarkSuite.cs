using System.Runtime.Intrinsics;
using EcsNeural.Benchmarks.Ecs;
using EcsNeural.Benchmarks.Reinforcement;
using EcsNeural.Benchmarks.Workloads;
using EcsNeural.Ecs.Jobs;

namespace EcsNeural.Benchmarks;

/// <summary>
/// A measurement the runner makes when asked for by name, besides the training-step workloads: its id on the command
/// line, what it measures (for --help) and how it runs. Add one to <see cref="All"/> to give the runner a new one.
/// </summary>
/// <param name="Id">Name on the command line (case-insensitive).</param>
/// <param name="Description">One line for the help text.</param>
/// <param name="Run">Runs it under the run's options and busy load (null when quiet only), printing as it goes; returns rows for
/// the results table (none if it prints its own).</param>
public sealed record BenchmarkSuite(string Id, string Description, Func<RunnerOptions, BusyLoad?, TextWriter, IReadOnlyList<BenchmarkResult>> Run)
{
    /// <summary>Every suite the runner knows.</summary>
    public static IReadOnlyList<BenchmarkSuite> All { get; } =
    [
        new("gemm", "FMA peak and one-core GEMM on W5's shapes", RunGemm),
        new("ecs", "ECS iteration, 100,000 entities", (_, _, log) =>
        {
            EcsIterationBenchmark.Run(log);
            return [];
        }),
        new("hvp", "Hessian-vector product against the gradient", (options, _, log) =>
        {
            using var scheduler = new JobScheduler(options.Workers);
            return HessianVectorWorkload.RunAll(scheduler, BenchmarkRun.WarmupSteps, options.Steps, log);
        }),
        new("rl", "PPO with 1,024 agents sharing a policy: a collected tick and an update, against PyTorch",
            (options, load, log) => PpoBenchmark.Run(PpoSpec.Standard, options, load, log)),
    ];

    private static IReadOnlyList<BenchmarkResult> RunGemm(RunnerOptions options, BusyLoad? load, TextWriter log)
    {
        var results = new List<BenchmarkResult>();
        if (Vector512.IsHardwareAccelerated)
        {
            log.WriteLine("FMA-PEAK: 16 Vector512 FMA chains, one thread (the one-core ceiling right now)");
            results.Add(BenchmarkRun.Report(Measurement.Run(new FmaPeakWorkload(), BenchmarkRun.WarmupSteps, options.Steps), log));
        }
        foreach (GemmWorkload workload in GemmWorkload.W5Shapes)
        {
            log.WriteLine($"{workload.Id}: {workload.Describe()}");
            results.Add(BenchmarkRun.Report(Measurement.Run(workload, BenchmarkRun.WarmupSteps, options.Steps), log));
        }
        return results;
    }
}
