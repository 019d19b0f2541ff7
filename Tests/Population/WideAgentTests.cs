using EcsNeural.Components;
using EcsNeural.Components.Agents;
using EcsNeural.Ecs;
using EcsNeural.Ecs.Buffers;
using EcsNeural.Ecs.Jobs;
using EcsNeural.Systems.Graph;
using EcsNeural.Systems.Optimizers;
using EcsNeural.Systems.Population;
using EcsNeural.Tests.Support;

namespace EcsNeural.Tests.Population;

/// <summary>
/// A population whose input (100) and output (70) are wider than agent components hold inline: fed from agents,
/// trained, refused at a wrong width, without allocating per tick, and its agents' storage released with them.
/// </summary>
public class WideAgentTests
{
    private const int Inputs = 100, Outputs = 70;

    private sealed class WideHost : IDisposable
    {
        private static readonly QueryDescription Sensing = new QueryDescription().WithAll<Brain, Observation, Target>();
        private readonly float[] _sensed = new float[Inputs];

        public WideHost(int agents, int workers)
        {
            Jobs = new JobScheduler(workers);
            var runtime = new NeuralRuntime(World);
            Graph = runtime.CreateGraph<float>(instances: 0, seed: 5);
            var nn = new GraphBuilder(Graph);
            X = nn.Input(1, Inputs);
            T = nn.Input(1, Outputs);
            Y = nn.DenseLayer(nn.Relu(nn.DenseLayer(X, 16, ParameterInit.He).Output), Outputs).Output;
            Graph.Loss = nn.MseLoss(Y, T);
            Graph.Optimizer = OptimizerOptions.Adam(1e-3);
            var populations = new PopulationRegistry(runtime);
            Population = populations.Create(Graph, X, Y, target: T);
            Training = PopulationSystems.Training<float>(populations, Jobs);
            Agents = new Entity[agents];
            for (int a = 0; a < agents; a++)
            {
                Agents[a] = World.Create(new Observation(Observed(a, 0)), new Target(Wanted(a)), new AgentAction());
                Population.Bind(Agents[a]);
            }
        }

        public World World { get; } = new();
        public JobScheduler Jobs { get; }
        public ComputeGraph<float> Graph { get; }
        public Entity X { get; }
        public Entity T { get; }
        public Entity Y { get; }
        public AgentPopulation Population { get; }
        public SystemGroup<float> Training { get; }
        public Entity[] Agents { get; }
        public int Ticks { get; private set; }

        public static float[] Observed(int agent, int tick) => [.. Enumerable.Range(0, Inputs).Select(k => MathF.Sin(0.1f * k + agent + 0.5f * tick))];

        public static float[] Wanted(int agent) => [.. Enumerable.Range(0, Outputs).Select(k => MathF.Cos(0.2f * k - agent) / 2)];

        /// <summary>The host's sensing (in place, no allocation) and one training tick.</summary>
        public void Tick()
        {
            foreach (Chunk chunk in World.Query(Sensing))
            {
                Span<Observation> observations = chunk.GetSpan<Observation>();
                for (int i = 0; i < observations.Length; i++)
                {
                    for (int k = 0; k < Inputs; k++)
                        _sensed[k] = MathF.Sin(0.1f * k + i + 0.5f * Ticks);
                    observations[i].Values.Set(_sensed);
                }
            }
            Training.Update(0f);
            Ticks++;
        }

        public float MeanLoss()
        {
            float sum = 0;
            foreach (float loss in Graph.AllValues(Graph.Loss))
                sum += loss;
            return sum / Graph.InstanceCount;
        }

        public void Dispose()
        {
            Training.Dispose();
            Jobs.Dispose();
            World.Dispose();
        }
    }

    [Test]
    public void WideObservationsAndTargetsReachTheirRowsAndWideActionsComeBack()
    {
        using var host = new WideHost(agents: 150, workers: 2);
        host.Training.Update(0f);

        for (int a = 0; a < host.Agents.Length; a++)
        {
            int instance = host.World.Get<Brain>(host.Agents[a]).Instance;
            Assert.That(host.Graph.Values(host.X, instance).ToArray(), Is.EqualTo(WideHost.Observed(a, 0)), $"observation of agent {a}");
            Assert.That(host.Graph.Values(host.T, instance).ToArray(), Is.EqualTo(WideHost.Wanted(a)), $"target of agent {a}");
            ReadOnlySpan<float> action = host.World.Get<AgentAction>(host.Agents[a]).Values.AsReadOnlySpan();
            Assert.That(action.Length, Is.EqualTo(Outputs));
            Assert.That(action.ToArray(), Is.EqualTo(host.Graph.Values(host.Y, instance).ToArray()), $"action of agent {a}");
        }
    }

    [Test]
    public void AWideObservationOfTheWrongWidthNamesTheAgentAndBothSizes()
    {
        using var host = new WideHost(agents: 3, workers: 1);
        host.Tick();
        Entity agent = host.Agents[1];

        host.World.Get<Observation>(agent).Values.Set(new float[Inputs + 1]);
        Assert.That(() => host.Training.Update(0f), Throws.TypeOf<AgentComponentException>()
            .With.Message.Contains(agent.ToString()).And.Message.Contains("Observation")
            .And.Message.Contains($"{Inputs + 1} values").And.Message.Contains($"takes {Inputs}"));
        host.World.Get<Target>(agent).Values.Set(new float[Outputs - 1]);
        host.World.Get<Observation>(agent).Values.Set(new float[Inputs]);
        Assert.That(() => host.Training.Update(0f), Throws.TypeOf<AgentComponentException>()
            .With.Message.Contains(agent.ToString()).And.Message.Contains("Target").And.Message.Contains($"takes {Outputs}"));
        host.World.Get<Target>(agent).Values.Set(WideHost.Wanted(1));

        Assert.That(() => host.Training.Update(0f), Throws.Nothing, "fixed, the population trains again");
    }

    [Test]
    public void AWidePopulationLearnsFromItsAgents()
    {
        using var host = new WideHost(agents: 20, workers: 2);
        host.Tick();
        float first = host.MeanLoss();
        for (int tick = 0; tick < 300; tick++)
            host.Tick();

        Assert.That(host.MeanLoss(), Is.LessThan(first / 4));
    }

    [Test]
    public void AWideTrainingTickAllocatesNothingAfterWarmUp([Values(1, 2)] int workers)
    {
        using var host = new WideHost(agents: 200, workers);
        host.Tick();
        long held = BufferStorage.LiveBytes;

        Assert.That(Allocations.AfterWarmUp(host.Tick, steps: 50), Is.Zero);
        Assert.That(BufferStorage.LiveBytes, Is.EqualTo(held), "nor does any agent's storage change hands");
    }

    /// <summary>A spilled buffer's block: its bytes rounded up to whole 64-byte lines.</summary>
    private static int Block(int floats) => (4 * floats + 63) / 64 * 64;

    [Test]
    public void DestroyedAgentsReleaseTheirStorage()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        (int slots, long bytes) = (BufferStorage.LiveSlots, BufferStorage.LiveBytes);
        using (var host = new WideHost(agents: 64, workers: 1))
        {
            host.Tick();
            int perAgent = (BufferStorage.LiveSlots - slots) / 64;
            Assert.That(perAgent, Is.EqualTo(3), "Observation, Target and AgentAction each hold a slot");
            for (int a = 0; a < 32; a++)
                host.World.Destroy(host.Agents[a]);
            host.Tick();
            Assert.That(BufferStorage.LiveSlots - slots, Is.EqualTo(32 * 3));
            Assert.That(BufferStorage.LiveBytes - bytes, Is.EqualTo(32 * (Block(Inputs) + 2 * Block(Outputs))),
                "each survivor's three blocks, nothing of the others");
        }
        Assert.That((BufferStorage.LiveSlots, BufferStorage.LiveBytes), Is.EqualTo((slots, bytes)));
    }
}
