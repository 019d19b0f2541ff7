using EcsNeural.Components;
using EcsNeural.Ecs;
using EcsNeural.Ecs.Jobs;
using EcsNeural.Systems;
using EcsNeural.Systems.Graph;
using EcsNeural.Systems.Kernels;
using EcsNeural.Systems.Optimizers;

namespace EcsNeural.Benchmarks.Workloads;

/// <summary>
/// The workload driven through the engine (impl <c>ours</c>): a graph built with <see cref="GraphBuilder"/> in an
/// ECS <see cref="World"/>, N instances, trained by <see cref="NeuralSystems.Training{TState}"/> (Compile → Forward →
/// Backward → Optimizer → Complete as scheduled jobs). The per-step finite-value check is switched off, as
/// PyTorch does not check either. Populations keep their gradients block-local (<see cref="GradientMode.BlockLocal"/>):
/// nothing reads them, so they need not reach memory. The engine picks the instance layout (interleaved for the W1–W3
/// populations, 16 agents to a vector with AVX-512 and 8 without); in <see cref="NumericsMode.Portable"/> it is impl <c>ours-portable</c>, and with the layout
/// forced to <see cref="InstanceLayout.Contiguous"/> impl <c>ours-contiguous</c> (the baseline that shows what interleaving gains).
/// </summary>
public sealed class EngineTrainingStep(WorkloadSpec spec, JobScheduler scheduler, NumericsMode numerics = NumericsMode.Fast,
    InstanceLayout layout = InstanceLayout.Automatic) : IWorkload, IDisposable
{
    private World? _world;
    private SystemGroup<float>? _training;
    private ComputeGraph? _graph;

    public string Id => spec.Id;

    public string Impl => numerics == NumericsMode.Portable ? "ours-portable" : layout == InstanceLayout.Contiguous ? "ours-contiguous" : "ours";

    public double FlopsPerStep => spec.FlopsPerStep;

    /// <summary>What the graph keeps: its arena and, when gradients are block-local, one block's gradient scratch (bytes).</summary>
    public string DescribeMemory()
        => $"{_graph!.CompiledLayout.ToString().ToLowerInvariant()} layout, {_graph.FusedUpdateLayers} dense layers updating in backward, "
            + $"arena {_graph.ArenaBytes / 1024.0:F1} KiB, block gradient scratch {_graph.BlockGradientBytes / 1024.0:F1} KiB per worker";

    public void Setup()
    {
        int[] widths = spec.Widths;
        int instances = spec.IsPopulation ? spec.Count : 1;
        int batch = spec.IsPopulation ? 1 : spec.Count;
        _world = new World();
        var runtime = new NeuralRuntime(_world, numerics);
        ComputeGraph<float> graph = runtime.CreateGraph<float>(instances, seed: 7);
        graph.CheckFinite = false;
        graph.Layout = layout;
        if (spec.IsPopulation)
            graph.GradientMode = GradientMode.BlockLocal;
        var nn = new GraphBuilder(graph);
        Entity x = nn.Input(batch, widths[0]);
        Entity target = nn.Input(batch, widths[^1]);
        Entity h = x;
        for (int l = 0; l + 1 < widths.Length; l++)
        {
            DenseLayer layer = nn.DenseLayer(h, widths[l + 1], ParameterInit.He, ParameterInit.Zeros);
            h = l + 2 < widths.Length ? nn.Relu(layer.Output) : layer.Output;
        }
        graph.Loss = spec.IsPopulation ? nn.MseLoss(h, target) : nn.SoftmaxCrossEntropyLoss(h, target);
        graph.Optimizer = OptimizerOptions.Sgd(1e-3);

        var random = new Random(1234);
        var input = new float[batch * widths[0]];
        var targetValues = new float[batch * widths[^1]];
        for (int i = 0; i < instances; i++)
        {
            RandomFill.Uniform(input, random, 1f);
            if (spec.IsPopulation)
                RandomFill.Uniform(targetValues, random, 1f);
            else
            {
                Array.Clear(targetValues);
                for (int s = 0; s < batch; s++)
                    targetValues[s * widths[^1] + random.Next(widths[^1])] = 1f;   // one-hot labels
            }
            graph.SetValues(x, i, input);
            graph.SetValues(target, i, targetValues);
        }
        _training = NeuralSystems.Training<float>(runtime, scheduler);
        _graph = graph;
    }

    public void Step() => _training!.Update(0f);

    public void Dispose()
    {
        _training?.Dispose();
        _world?.Dispose();
    }
}
