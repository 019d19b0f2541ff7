using EcsNeural.Ecs.Jobs;

namespace EcsNeural.Benchmarks.Workloads;

/// <summary>
/// What the hand-composed population steps share: N agents, each its own MLP (ReLU hidden, linear output, MSE), one
/// sample per agent per step, the same seeded parameters and data, and one job per fixed block of
/// <see cref="BlockSize"/> agents. Subclasses differ only in how a block is trained (<see cref="TrainBlock"/>), so
/// their timings compare layouts and kernels, not setup.
/// </summary>
public abstract class PopulationStep : IWorkload
{
    /// <summary>The learning rate of the SGD update every subclass applies.</summary>
    protected const float LearningRate = 1e-3f;

    private readonly WorkloadSpec _spec;
    private readonly JobScheduler _scheduler;

    /// <summary>Creates the step for <paramref name="spec"/>, run on <paramref name="scheduler"/>.</summary>
    protected PopulationStep(WorkloadSpec spec, JobScheduler scheduler)
    {
        _spec = spec;
        _scheduler = scheduler;
        Widths = _spec.Widths;
        Layers = Widths.Length - 1;
        BlockAgents = BlockSize(Widths);
    }

    /// <summary>
    /// Agents per job block for these layer widths: about 128 KB of parameters (plus as much again of gradients), so
    /// a block's working set stays in L2 from forward to update; a multiple of 16 (the interleaved experiment's
    /// group). Depends only on the network shape, never on the worker count.
    /// </summary>
    public static int BlockSize(IReadOnlyList<int> widths)
    {
        long parameterBytes = 0;
        for (int l = 0; l + 1 < widths.Count; l++)
            parameterBytes += ((long)widths[l] * widths[l + 1] + widths[l + 1]) * sizeof(float);
        return (int)Math.Clamp(128 * 1024 / parameterBytes / 16 * 16, 16, 256);
    }

    /// <inheritdoc/>
    public string Id => _spec.Id;

    /// <inheritdoc/>
    public abstract string Impl { get; }

    /// <inheritdoc/>
    public double FlopsPerStep => _spec.FlopsPerStep;

    /// <summary>Layer widths, input first.</summary>
    protected int[] Widths { get; }

    /// <summary>Number of weight layers.</summary>
    protected int Layers { get; }

    /// <summary>Agents per job block (<see cref="BlockSize"/> of <see cref="Widths"/>).</summary>
    protected int BlockAgents { get; }

    /// <summary>Every agent's input, [agent][width 0].</summary>
    protected float[] Input { get; private set; } = [];

    /// <summary>Every agent's regression target, [agent][last width].</summary>
    protected float[] Target { get; private set; } = [];

    /// <summary>Per layer, every agent's weights (layout up to the subclass).</summary>
    protected float[][] Weights { get; private set; } = [];

    /// <summary>Per layer, every agent's biases.</summary>
    protected float[][] Biases { get; private set; } = [];

    /// <summary>Per layer, every agent's outputs (after ReLU on hidden layers).</summary>
    protected float[][] Outputs { get; private set; } = [];

    /// <inheritdoc/>
    public void Setup()
    {
        var random = new Random(1234);
        int n = _spec.Count;
        Input = new float[n * Widths[0]];
        Target = new float[n * Widths[Layers]];
        Activations.FillUniform(Input, random, 1f);
        Activations.FillUniform(Target, random, 1f);
        Weights = new float[Layers][];
        Biases = new float[Layers][];
        Outputs = new float[Layers][];
        for (int l = 0; l < Layers; l++)
        {
            Weights[l] = new float[n * Widths[l] * Widths[l + 1]];
            Biases[l] = new float[n * Widths[l + 1]];
            Outputs[l] = new float[n * Widths[l + 1]];
            Activations.FillUniform(Weights[l], random, 1f / MathF.Sqrt(Widths[l]));
        }
    }

    /// <inheritdoc/>
    public void Step() => _scheduler.Complete(_scheduler.ScheduleParallelFor(new BlockJob(this), _spec.Count, BlockAgents));

    /// <summary>Forward, backward and SGD update of agents [<paramref name="start"/>, <paramref name="end"/>).</summary>
    protected abstract void TrainBlock(int start, int end);

    private readonly struct BlockJob(PopulationStep owner) : IJobParallelFor
    {
        public void Execute(int blockIndex, int start, int end) => owner.TrainBlock(start, end);
    }
}
