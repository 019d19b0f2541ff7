namespace EcsNeural.Benchmarks.Workloads;

/// <summary>What a workload trains: a population of N one-sample MLPs, or one MLP on a batch.</summary>
/// <param name="Id">Workload id (W1…W5, or one naming a shape given on the command line).</param>
/// <param name="IsPopulation">True: N agents, each its own MLP (ReLU hidden, linear output, MSE), one sample each.
/// False: one MLP (ReLU hidden, softmax cross-entropy) on a batch.</param>
/// <param name="Count">Agents (population) or batch size (single MLP).</param>
/// <param name="Widths">Layer widths, input first.</param>
public sealed record WorkloadSpec(string Id, bool IsPopulation, int Count, int[] Widths)
{
    /// <summary>The workloads of DESIGN.md's benchmark table.</summary>
    public static IReadOnlyList<WorkloadSpec> All { get; } =
    [
        new("W1", true, 1_024, [16, 32, 32, 4]),
        new("W2", true, 10_000, [16, 32, 32, 4]),
        new("W3", true, 10_000, [32, 64, 64, 8]),
        new("W4", false, 256, [784, 256, 128, 10]),
        new("W5", false, 4_096, [784, 1024, 1024, 10]),
    ];

    /// <summary>A population shape given on the command line; its id names it, e.g. <c>pop-5000-16-32-32-4</c>.</summary>
    public static WorkloadSpec Population(int agents, int[] widths) => new($"pop-{agents}-{string.Join('-', widths)}", true, agents, widths);

    /// <summary>A single-MLP shape given on the command line; its id names it, e.g. <c>mlp-256-784-256-128-10</c>.</summary>
    public static WorkloadSpec Mlp(int batch, int[] widths) => new($"mlp-{batch}-{string.Join('-', widths)}", false, batch, widths);

    /// <summary>FLOPs of one training step (see <see cref="FlopCount"/>).</summary>
    public double FlopsPerStep => IsPopulation ? FlopCount.TrainingStep(Widths, 1, Count) : FlopCount.TrainingStep(Widths, Count, 1);

    /// <summary>Human-readable shape, e.g. "population N=1,024, 16-32-32-4".</summary>
    public string Describe() => (IsPopulation ? $"population N={Count:N0}" : $"single MLP, B={Count:N0}") + ", " + string.Join('-', Widths);
}
