using EcsNeural.Components;
using EcsNeural.Components.Agents;
using EcsNeural.Ecs;
using EcsNeural.Ecs.Jobs;
using EcsNeural.Systems.Graph;
using EcsNeural.Systems.Optimizers;
using EcsNeural.Systems.Population;

namespace EcsNeural.Tests.Population;

/// <summary>The test's own id of an agent, independent of entity ids and instance indices.</summary>
internal readonly record struct AgentTag(int Id);

/// <summary>
/// A world with one population of small MLPs (8-16-16-4, ReLU hidden, linear output, MSE against the agent's target)
/// and the population training group. Observations and targets are pure functions of (agent tag, step).
/// </summary>
internal sealed class PopulationFixture : IDisposable
{
    public const int Inputs = 8, Outputs = 4;

    private static readonly QueryDescription Sensing = new QueryDescription().WithAll<AgentTag, Observation, Target>();

    public PopulationFixture(int instances, int workers, OptimizerOptions optimizer, ulong seed = 11)
    {
        World = new World();
        Scheduler = new JobScheduler(workers);
        Runtime = new NeuralRuntime(World);
        Graph = Runtime.CreateGraph<float>(instances, seed);
        var nn = new GraphBuilder(Graph);
        Entity x = nn.Input(1, Inputs), t = nn.Input(1, Outputs);
        DenseLayer h1 = nn.DenseLayer(x, 16, ParameterInit.He, ParameterInit.Constant(0.1));
        DenseLayer h2 = nn.DenseLayer(nn.Relu(h1.Output), 16, ParameterInit.He, ParameterInit.Constant(0.1));
        DenseLayer output = nn.DenseLayer(nn.Relu(h2.Output), Outputs);
        Graph.Loss = nn.MseLoss(output.Output, t);
        Graph.Optimizer = optimizer;
        Parameters = [h1.Weights, h1.Bias, h2.Weights, h2.Bias, output.Weights, output.Bias];
        Populations = new PopulationRegistry(Runtime);
        Population = Populations.Create(Graph, x, output.Output, target: t);
        Training = PopulationSystems.Training<float>(Populations, Scheduler);
    }

    public World World { get; }
    public JobScheduler Scheduler { get; }
    public NeuralRuntime Runtime { get; }
    public ComputeGraph<float> Graph { get; }
    public Entity[] Parameters { get; }
    public PopulationRegistry Populations { get; }
    public AgentPopulation Population { get; }
    public SystemGroup<float> Training { get; }
    public int StepCount { get; private set; }

    /// <summary>An agent entity with a tag, observation, target and action (not bound yet).</summary>
    public Entity CreateAgent(int tag)
    {
        Entity agent = World.Create(new AgentTag(tag));
        World.Add(agent, new Observation());
        World.Add(agent, new Target());
        World.Add(agent, new AgentAction());
        return agent;
    }

    /// <summary>Host step: every tagged agent senses (tag, step); then the population trains one tick.</summary>
    public void Step()
    {
        Span<float> values = stackalloc float[Inputs];
        foreach (Chunk chunk in World.Query(Sensing))
        {
            Span<AgentTag> tags = chunk.GetSpan<AgentTag>();
            Span<Observation> observations = chunk.GetSpan<Observation>();
            Span<Target> targets = chunk.GetSpan<Target>();
            for (int i = 0; i < tags.Length; i++)
            {
                Sense(tags[i].Id, StepCount, values);
                observations[i].Values.Set(values);
                targets[i].Values.Set(values[..Outputs]);   // learn a function of the observation
                for (int k = 0; k < Outputs; k++)
                    targets[i].Values.AsSpan()[k] = values[k] * values[Inputs - 1 - k];
            }
        }
        Training.Update(0f);
        StepCount++;
    }

    /// <summary>Deterministic pseudo-random observation of agent <paramref name="tag"/> at <paramref name="step"/>, in [−1, 1).</summary>
    public static void Sense(int tag, int step, Span<float> destination)
    {
        ulong state = ((ulong)(uint)tag << 32 | (uint)step) * 0x9E3779B97F4A7C15UL + 1;
        for (int k = 0; k < destination.Length; k++)
        {
            state ^= state >> 33;
            state *= 0xFF51AFD7ED558CCDUL;
            state ^= state >> 29;
            destination[k] = (int)(state >> 40) / (float)(1 << 23) - 1f;
        }
    }

    /// <summary>The bits of every parameter of the instance bound to <paramref name="agent"/>.</summary>
    public int[] ParameterBits(Entity agent)
    {
        int instance = World.Get<Brain>(agent).Instance;
        return [.. Parameters.SelectMany(p => Graph.Values(p, instance).ToArray()).Select(BitConverter.SingleToInt32Bits)];
    }

    /// <summary>The bits of both Adam moments of every parameter of the instance bound to <paramref name="agent"/>.</summary>
    public int[] OptimizerStateBits(Entity agent)
    {
        int instance = World.Get<Brain>(agent).Instance;
        return [.. Parameters.SelectMany(p => Graph.OptimizerState(p, instance, 0).ToArray().Concat(Graph.OptimizerState(p, instance, 1).ToArray()))
            .Select(BitConverter.SingleToInt32Bits)];
    }

    public void Dispose()
    {
        Training.Dispose();
        Scheduler.Dispose();
        World.Dispose();
    }
}
