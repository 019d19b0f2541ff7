namespace EcsNeural.Benchmarks;

/// <summary>What one run of the benchmark runner measures, as parsed and validated by <see cref="RunnerCommand"/>.</summary>
/// <param name="Workloads">Training-step workloads (W1–W5 and a shape given on the command line), in order.</param>
/// <param name="Suites">Other measurements asked for by name (gemm, ecs, hvp, …), in order.</param>
/// <param name="Json">Where to write the results as JSON, or null.</param>
/// <param name="NoPeer">Skip the PyTorch peer.</param>
/// <param name="Steps">Timed steps per workload (and per load, under <paramref name="BusyThreads"/>).</param>
/// <param name="Workers">Job-scheduler workers.</param>
/// <param name="BusyThreads">Extra spinning threads to time every workload under as well (0: quiet only).</param>
/// <param name="Portable">Also time the engine in portable numerics (impl <c>ours-portable</c>) beside the default.</param>
public sealed record RunnerOptions(
    IReadOnlyList<Workloads.WorkloadSpec> Workloads,
    IReadOnlyList<BenchmarkSuite> Suites,
    FileInfo? Json,
    bool NoPeer,
    int Steps,
    int Workers,
    int BusyThreads,
    bool Portable = false);
