using EcsNeural.Components;
using EcsNeural.Ecs;
using EcsNeural.Ecs.Jobs;
using EcsNeural.Systems;
using EcsNeural.Systems.Graph;
using EcsNeural.Systems.Symbolic;

namespace EcsNeural.Benchmarks.Workloads;

/// <summary>
/// What a Hessian-vector product costs next to a gradient, for a small tanh MLP with MSE loss (float32): the same
/// network differentiated three ways, each one timed step:
/// <list type="bullet">
/// <item><c>ours-gradient</c>: forward + the numeric backward pass (symbol-to-number), the reference;</item>
/// <item><c>ours-symbolic-gradient</c>: one forward pass over the graph plus its symbolic gradient nodes;</item>
/// <item><c>ours-hvp</c>: one forward pass over the graph, its gradient nodes and the nodes of H·v = ∇(∇f · v).</item>
/// </list>
/// FLOPs are the gradient's count (<see cref="FlopCount"/> without the update) for all three, so GFLOP/s reads as
/// gradient-equivalent throughput. Memory is the graph's tensor arena and node count, printed by <see cref="RunAll"/>.
/// </summary>
public sealed class HessianVectorWorkload : IWorkload, IDisposable
{
    /// <summary>The differentiation being timed.</summary>
    public enum Kind { Gradient, SymbolicGradient, HessianVectorProduct }

    private readonly WorkloadSpec _spec;
    private readonly JobScheduler _scheduler;
    private readonly Kind _kind;
    private World? _world;
    private ComputeGraph<float>? _graph;
    private SystemGroup<float>? _step;

    public HessianVectorWorkload(WorkloadSpec spec, Kind kind, JobScheduler scheduler)
    {
        _spec = spec;
        _kind = kind;
        _scheduler = scheduler;
    }

    /// <summary>A single MLP, B = 64, 16-64-64-4, and a population of 1,024 one-sample 16-32-32-4 MLPs.</summary>
    public static IReadOnlyList<WorkloadSpec> Specs { get; } =
    [
        new("HVP1", false, 64, [16, 64, 64, 4]),
        new("HVP2", true, 1_024, [16, 32, 32, 4]),
    ];

    public string Id => _spec.Id;

    public string Impl => _kind switch
    {
        Kind.Gradient => "ours-gradient",
        Kind.SymbolicGradient => "ours-symbolic-gradient",
        _ => "ours-hvp",
    };

    public double FlopsPerStep
    {
        get
        {
            int networks = _spec.IsPopulation ? _spec.Count : 1, samples = _spec.IsPopulation ? 1 : _spec.Count;
            double parameters = 0;
            for (int l = 0; l + 1 < _spec.Widths.Length; l++)
                parameters += (double)_spec.Widths[l] * _spec.Widths[l + 1] + _spec.Widths[l + 1];
            return FlopCount.TrainingStep(_spec.Widths, samples, networks) - networks * 2 * parameters;
        }
    }

    /// <summary>Nodes of the graph after setup.</summary>
    public int NodeCount { get; private set; }

    /// <summary>Bytes of the graph's tensor arena after setup (<see cref="ComputeGraph.ArenaBytes"/>).</summary>
    public long ArenaBytes { get; private set; }

    public void Setup()
    {
        int[] widths = _spec.Widths;
        int instances = _spec.IsPopulation ? _spec.Count : 1, batch = _spec.IsPopulation ? 1 : _spec.Count;
        _world = new World();
        var runtime = new NeuralRuntime(_world);
        _graph = runtime.CreateGraph<float>(instances, seed: 7);
        _graph.CheckFinite = false;
        var nn = new GraphBuilder(_graph);
        Entity x = nn.Input(batch, widths[0]), target = nn.Input(batch, widths[^1]);
        var parameters = new List<Entity>();
        Entity h = x;
        for (int l = 0; l + 1 < widths.Length; l++)
        {
            DenseLayer layer = nn.DenseLayer(h, widths[l + 1], ParameterInit.Xavier, ParameterInit.Constant(0.1));
            parameters.Add(layer.Weights);
            parameters.Add(layer.Bias);
            h = l + 2 < widths.Length ? nn.Tanh(layer.Output) : layer.Output;
        }
        Entity loss = nn.MseLoss(h, target);
        var vectors = new List<Entity>();
        switch (_kind)
        {
            case Kind.Gradient:
                _graph.Loss = loss;
                _step = new SystemGroup<float>("Gradient")
                    .Add(new CompileSystem<float>(runtime)).Add(new ForwardSystem<float>(runtime, _scheduler))
                    .Add(new BackwardSystem<float>(runtime, _scheduler)).Add(new CompleteSystem<float>(runtime));
                break;
            case Kind.SymbolicGradient:
                SymbolicGradient.Build(nn, loss, [.. parameters]);
                _step = NeuralSystems.Inference<float>(runtime, _scheduler);
                break;
            case Kind.HessianVectorProduct:
                foreach (Entity p in parameters)
                {
                    NodeShape shape = _graph.ShapeOf(p);
                    vectors.Add(nn.Input(shape.Rows, shape.Cols));
                }
                SymbolicGradient.HessianVectorProduct(nn, loss, [.. parameters], [.. vectors]);
                _step = NeuralSystems.Inference<float>(runtime, _scheduler);
                break;
        }

        var random = new Random(1234);
        foreach (Entity input in vectors.Prepend(target).Prepend(x))
        {
            var values = new float[_graph.ShapeOf(input).Length];
            for (int i = 0; i < instances; i++)
            {
                RandomFill.Uniform(values, random, 1f);
                _graph.SetValues(input, i, values);
            }
        }
        (NodeCount, ArenaBytes) = MeasureGraph(_world, _graph);
    }

    public void Step() => _step!.Update(0f);

    public void Dispose()
    {
        _step?.Dispose();
        _world?.Dispose();
    }

    /// <summary>
    /// Times the three kinds on every spec, prints each result with its memory and the HVP/gradient ratios, and
    /// returns the results for the runner's table and JSON.
    /// </summary>
    public static List<BenchmarkResult> RunAll(JobScheduler scheduler, int warmupSteps, int steps, TextWriter output)
    {
        var results = new List<BenchmarkResult>();
        foreach (WorkloadSpec spec in Specs)
        {
            output.WriteLine($"{spec.Id}: Hessian-vector product vs gradient, tanh MLP with MSE, {spec.Describe()}");
            var byKind = new Dictionary<Kind, (BenchmarkResult Result, long Bytes, int Nodes)>();
            foreach (Kind kind in Enum.GetValues<Kind>())
            {
                using var workload = new HessianVectorWorkload(spec, kind, scheduler);
                BenchmarkResult result = Measurement.Run(workload, warmupSteps, steps);
                byKind[kind] = (result, workload.ArenaBytes, workload.NodeCount);
                results.Add(result);
                output.WriteLine($"  {result.Impl}: median {result.MsMedian:F3} ms (min {result.MsMin:F3}, max {result.MsMax:F3}), "
                    + $"arena {workload.ArenaBytes / 1024.0:F1} KiB, {workload.NodeCount} nodes, {result.AllocBytesPerStep:F0} B allocated/step");
            }
            var (gradient, hvp, symbolic) = (byKind[Kind.Gradient], byKind[Kind.HessianVectorProduct], byKind[Kind.SymbolicGradient]);
            output.WriteLine($"  HVP / gradient: time ×{hvp.Result.MsMedian / gradient.Result.MsMedian:F2} (median), "
                + $"arena ×{(double)hvp.Bytes / gradient.Bytes:F2}, nodes ×{(double)hvp.Nodes / gradient.Nodes:F2}; "
                + $"symbolic / numeric gradient: time ×{symbolic.Result.MsMedian / gradient.Result.MsMedian:F2}, arena ×{(double)symbolic.Bytes / gradient.Bytes:F2}");
        }
        return results;
    }

    /// <summary>The graph's node count and the bytes of its tensor arena.</summary>
    private static (int Nodes, long Bytes) MeasureGraph(World world, ComputeGraph graph)
    {
        int nodes = 0;
        world.Query(new QueryDescription().WithAll<GraphMember, Node>(), (ref GraphMember member) =>
        {
            if (member.GraphId == graph.Id)
                nodes++;
        });
        return (nodes, graph.ArenaBytes);
    }
}
