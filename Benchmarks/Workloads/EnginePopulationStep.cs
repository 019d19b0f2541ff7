using EcsNeural.Components;
using EcsNeural.Components.Agents;
using EcsNeural.Ecs;
using EcsNeural.Ecs.Jobs;
using EcsNeural.Systems.Graph;
using EcsNeural.Systems.Optimizers;
using EcsNeural.Systems.Population;

namespace EcsNeural.Benchmarks.Workloads;

/// <summary>
/// Population training tick as a host runs it (impl <c>ours-agents</c>): N agent entities, each bound by a
/// <see cref="Brain"/> to one instance of a graph (Dense → ReLU → … → Dense, MSE against the agent's
/// <see cref="Target"/>, SGD), stepped by <see cref="PopulationSystems.Training{TState}"/>: gather → forward → backward →
/// update → scatter, with the engine's defaults (finite checks on) except block-local gradients (<see cref="GradientMode.BlockLocal"/>,
/// as a host that never reads gradients would choose). What a host pays per frame; <see cref="EngineTrainingStep"/>
/// (impl <c>ours</c>) times the same graph without agents and checks.
/// </summary>
public sealed class EnginePopulationStep(WorkloadSpec spec, JobScheduler scheduler) : IWorkload
{
    private World? _world;
    private SystemGroup<float>? _tick;

    public string Id => spec.Id;

    public string Impl => "ours-agents";

    public double FlopsPerStep => spec.FlopsPerStep;

    public void Setup()
    {
        _tick?.Dispose();
        _world?.Dispose();
        int[] widths = spec.Widths;
        _world = new World();
        var runtime = new NeuralRuntime(_world);
        ComputeGraph<float> graph = runtime.CreateGraph<float>(spec.Count, seed: 1234);
        var nn = new GraphBuilder(graph);
        Entity x = nn.Input(1, widths[0]), t = nn.Input(1, widths[^1]);
        Entity h = x;
        for (int l = 1; l < widths.Length; l++)
        {
            h = nn.DenseLayer(h, widths[l], ParameterInit.He).Output;
            if (l + 1 < widths.Length)
                h = nn.Relu(h);
        }
        graph.Loss = nn.MseLoss(h, t);
        graph.Optimizer = OptimizerOptions.Sgd(1e-3);
        graph.GradientMode = GradientMode.BlockLocal;
        var populations = new PopulationRegistry(runtime);
        AgentPopulation population = populations.Create(graph, x, h, target: t);

        var random = new Random(1234);
        var observation = new float[widths[0]];
        var target = new float[widths[^1]];
        for (int a = 0; a < spec.Count; a++)
        {
            RandomFill.Uniform(observation, random, 1f);
            RandomFill.Uniform(target, random, 1f);
            Entity agent = _world.Create(new Observation(observation), new Target(target), new AgentAction());
            population.Bind(agent);
        }
        _tick = PopulationSystems.Training<float>(populations, scheduler);
    }

    public void Step() => _tick!.Update(0f);
}
