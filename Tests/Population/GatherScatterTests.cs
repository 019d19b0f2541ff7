using EcsNeural.Components.Agents;
using EcsNeural.Ecs;
using EcsNeural.Ecs.Jobs;
using EcsNeural.Systems.Graph;
using EcsNeural.Systems.Optimizers;
using EcsNeural.Systems.Population;
using EcsNeural.Tests.Support;

namespace EcsNeural.Tests.Population;

/// <summary>Agent components in, tensors, agent components out.</summary>
public class GatherScatterTests
{
    [Test]
    public void ObservationAndTargetReachTheirRowsAndTheOutputComesBack()
    {
        using var world = new World();
        using var jobs = new JobScheduler(2);
        var runtime = new NeuralRuntime(world);
        var graph = runtime.CreateGraph<float>(instances: 0);
        var nn = new GraphBuilder(graph);
        Entity x = nn.Input(1, 3), t = nn.Input(1, 3);
        Entity doubled = nn.Scale(x, 2);   // output = 2·observation, exact in floating point
        graph.Loss = nn.MseLoss(doubled, t);   // no parameters: training changes nothing, but the targets are gathered
        var populations = new PopulationRegistry(runtime);
        AgentPopulation population = populations.Create(graph, x, doubled, target: t);
        using var tick = PopulationSystems.Training<float>(populations, jobs);

        var agents = new Entity[130];   // three blocks
        for (int a = 0; a < agents.Length; a++)
        {
            agents[a] = world.Create(new Observation([a, -a, 0.5f * a]), new Target([a + 1f, a + 2f, a + 3f]));
            world.Add(agents[a], new AgentAction());
            population.Bind(agents[a]);
        }
        world.Destroy(agents[5]);   // reconciled at the next gather: agent 129 moves into instance 5

        tick.Update(0f);

        for (int a = 0; a < agents.Length; a++)
        {
            if (a == 5)
                continue;
            int instance = world.Get<Brain>(agents[a]).Instance;
            Assert.That(graph.Values(x, instance).ToArray(), Is.EqualTo(new float[] { a, -a, 0.5f * a }), $"observation of agent {a}");
            Assert.That(graph.Values(t, instance).ToArray(), Is.EqualTo(new float[] { a + 1, a + 2, a + 3 }), $"target of agent {a}");
            Assert.That(world.Get<AgentAction>(agents[a]).Values.AsReadOnlySpan().ToArray(), Is.EqualTo(new float[] { 2 * a, -2 * a, a }),
                $"action of agent {a}");
        }
        Assert.That(world.Get<Brain>(agents[129]).Instance, Is.EqualTo(5));
        Assert.That(graph.InstanceCount, Is.EqualTo(129));
    }

    [Slow]
    [Test]
    public void TrainingTickAllocatesNothingAfterWarmUp([Values(1, 2)] int workers)
    {
        using var f = new PopulationFixture(instances: 0, workers, OptimizerOptions.Adam(0.001));
        foreach (Entity agent in Enumerable.Range(0, 200).Select(f.CreateAgent))
            f.Population.Bind(agent);

        // The thread that runs the systems (and, helping Complete, its share of the jobs). Process-wide counters also
        // see the test host's own threads (a few KB per run whatever the step count), so they cannot show a zero.
        Assert.That(Allocations.AfterWarmUp(f.Step, steps: 200), Is.Zero);
    }
}
