using EcsNeural.Components.Agents;
using EcsNeural.Ecs;
using EcsNeural.Systems.Optimizers;

namespace EcsNeural.Tests.Population;

/// <summary>Agents join and leave while the population trains; nobody else's network notices.</summary>
public class SpawnAndDeathTests
{
    private const int Agents = 200, Victim = 37, SpawnedTag = 1000;

    /// <summary>
    /// Trains 200 agents for 40 ticks. The victim dies at <paramref name="deathStep"/> (destroyed through a command
    /// buffer, reconciled by the gather system); a newcomer spawns with an unbound brain at tick 20.
    /// Returns each surviving agent's parameter bits, Adam moments and step count, by tag.
    /// </summary>
    private static Dictionary<int, (int[] Bits, int[] State, long AdamSteps)> Run(int deathStep, int workers)
    {
        using var f = new PopulationFixture(instances: 0, workers, OptimizerOptions.Adam(0.003));
        var agents = Enumerable.Range(0, Agents).Select(f.CreateAgent).ToList();
        foreach (Entity agent in agents)
            f.Population.Bind(agent);
        var commands = new CommandBuffer();
        for (int step = 0; step < 40; step++)
        {
            if (step == deathStep)
            {
                commands.Destroy(0, agents[Victim]);
                commands.Playback(f.World);
                commands.Clear();
            }
            if (step == 20)
                f.World.Add(f.CreateAgent(SpawnedTag), Brain.Unbound(f.Graph.Id));
            f.Step();
        }
        Assert.That(f.Population.BoundCount, Is.EqualTo(Agents), "one died, one spawned");
        Assert.That(f.Graph.InstanceCount, Is.EqualTo(Agents));
        var result = new Dictionary<int, (int[], int[], long)>();
        foreach (Chunk chunk in f.World.Query(new QueryDescription().WithAll<AgentTag, Brain>()))
        {
            ReadOnlySpan<Entity> entities = chunk.Entities;
            Span<AgentTag> tags = chunk.GetSpan<AgentTag>();
            Span<Brain> brains = chunk.GetSpan<Brain>();
            for (int i = 0; i < entities.Length; i++)
            {
                Assert.That(f.Population.AgentOf(brains[i].Instance), Is.EqualTo(entities[i]), "brain and population agree");
                result[tags[i].Id] = (f.ParameterBits(entities[i]), f.OptimizerStateBits(entities[i]), f.Graph.OptimizerSteps(brains[i].Instance));
            }
        }
        return result;
    }

    [TestCase(1)]
    [TestCase(2)]
    public void DeathAndSpawnDuringTrainingLeaveEveryOtherAgentBitIdentical(int workers)
    {
        var withDeathMidway = Run(deathStep: 10, workers);
        var neverThere = Run(deathStep: 0, workers);   // the reference: the victim never trained

        Assert.That(withDeathMidway.Keys.Order(), Is.EqualTo(neverThere.Keys.Order()));
        Assert.That(withDeathMidway.ContainsKey(Victim), Is.False);
        foreach ((int tag, (int[] bits, int[] state, long steps)) in neverThere)
        {
            Assert.That(withDeathMidway[tag].Bits, Is.EqualTo(bits), $"parameters of agent {tag}");
            Assert.That(withDeathMidway[tag].State, Is.EqualTo(state), $"Adam moments of agent {tag}");
            Assert.That(withDeathMidway[tag].AdamSteps, Is.EqualTo(steps), $"Adam steps of agent {tag}");
        }
        Assert.That(neverThere[SpawnedTag].AdamSteps, Is.EqualTo(20), "the newcomer trained from tick 20 on");
        Assert.That(neverThere[0].AdamSteps, Is.EqualTo(40));
    }

    [Test]
    public void UnbindSwapRemovesAndRepointsTheMovedAgent()
    {
        using var f = new PopulationFixture(instances: 0, workers: 1, OptimizerOptions.Momentum(0.01));
        Entity[] agents = [.. Enumerable.Range(0, 5).Select(f.CreateAgent)];
        foreach (Entity agent in agents)
            f.Population.Bind(agent);
        f.Step();
        int[] lastBits = f.ParameterBits(agents[4]);
        float[] lastVelocity = f.Graph.OptimizerState(f.Parameters[0], 4, 0).ToArray();

        f.Population.Unbind(agents[1]);

        Assert.That(f.World.Has<Brain>(agents[1]), Is.False);
        Assert.That(f.World.Get<Brain>(agents[4]), Is.EqualTo(new Brain(f.Graph.Id, 1)), "the last agent moved into the hole");
        Assert.That(f.Population.AgentOf(1), Is.EqualTo(agents[4]));
        Assert.That(f.ParameterBits(agents[4]), Is.EqualTo(lastBits), "its parameters moved with it");
        Assert.That(f.Graph.OptimizerState(f.Parameters[0], 1, 0).ToArray(), Is.EqualTo(lastVelocity), "its momentum velocity moved with it");
        Assert.That(f.Graph.InstanceCount, Is.EqualTo(4));
        f.Step();   // still trains
        Assert.That(f.ParameterBits(agents[4]), Is.Not.EqualTo(lastBits));
    }

    [Test]
    public void InstancesTheGraphWasCreatedWithAreBoundFirst()
    {
        using var f = new PopulationFixture(instances: 3, workers: 1, OptimizerOptions.Sgd(0.01));
        Entity[] agents = [.. Enumerable.Range(0, 4).Select(f.CreateAgent)];

        int[] instances = [.. agents.Select(f.Population.Bind)];

        Assert.That(instances, Is.EqualTo(new[] { 0, 1, 2, 3 }));
        Assert.That(f.Graph.InstanceCount, Is.EqualTo(4));
        Assert.That(() => f.Population.Bind(agents[0]), Throws.ArgumentException.With.Message.Contains("already bound"));
    }

    [Test]
    public void InstancesAddedToTheGraphDirectlyAreAdoptedAndDirectRemovalIsAnError()
    {
        using var f = new PopulationFixture(instances: 1, workers: 1, OptimizerOptions.Sgd(0.01));
        f.Graph.AddInstance();

        Assert.That(f.Population.BoundCount, Is.EqualTo(0));
        Assert.That(new[] { f.Population.Bind(f.CreateAgent(0)), f.Population.Bind(f.CreateAgent(1)) }, Is.EqualTo(new[] { 0, 1 }));
        Assert.That(f.Graph.InstanceCount, Is.EqualTo(2), "both agents took the existing instances");

        f.Graph.RemoveInstance(1);
        Assert.That(() => f.Training.Update(0f), Throws.InvalidOperationException.With.Message.Contains("never with ComputeGraph.RemoveInstance"));
    }
}
