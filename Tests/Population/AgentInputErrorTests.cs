using EcsNeural.Components.Agents;
using EcsNeural.Ecs;
using EcsNeural.Systems.Optimizers;
using EcsNeural.Systems.Population;

namespace EcsNeural.Tests.Population;

/// <summary>Bad agent data is a clear error, never truncated or padded, and the world stays usable.</summary>
public class AgentInputErrorTests
{
    [Test]
    public void AnObservationOfTheWrongWidthNamesTheAgentAndBothSizes()
    {
        using var f = new PopulationFixture(instances: 0, workers: 1, OptimizerOptions.Sgd(0.01));
        Entity[] agents = [.. Enumerable.Range(0, 3).Select(f.CreateAgent)];
        foreach (Entity agent in agents)
            f.Population.Bind(agent);
        f.Step();
        Entity stranger = f.World.Create(new Observation(new float[PopulationFixture.Inputs + 2]), new Target(new float[PopulationFixture.Outputs]), new AgentAction());
        f.Population.Bind(stranger);

        Assert.That(() => f.Training.Update(0f), Throws.TypeOf<AgentComponentException>()
            .With.Message.Contains(stranger.ToString()).And.Message.Contains("Observation")
            .And.Message.Contains($"{PopulationFixture.Inputs + 2} values")
            .And.Message.Contains($"takes {PopulationFixture.Inputs}"));

        f.World.Get<Observation>(stranger).Values.Set(new float[PopulationFixture.Inputs]);
        Assert.That(() => f.Training.Update(0f), Throws.Nothing, "fixed, the world trains again");
    }

    [Test]
    public void ABrainForAGraphThatIsNoPopulationIsNamed()
    {
        using var f = new PopulationFixture(instances: 0, workers: 1, OptimizerOptions.Sgd(0.01));
        Entity lost = f.World.Create(Brain.Unbound(graphId: 42));

        Assert.That(() => f.Training.Update(0f), Throws.InvalidOperationException.With.Message.Contains(lost.ToString()).And.Message.Contains("42"));
    }

    [Test]
    public void AgentsMissingWhatTheirPopulationNeedsOrCarryingARewardAreNamed()
    {
        using var f = new PopulationFixture(instances: 0, workers: 1, OptimizerOptions.Sgd(0.01));
        Entity[] agents = [.. Enumerable.Range(0, 3).Select(f.CreateAgent)];
        foreach (Entity agent in agents)
            f.Population.Bind(agent);
        f.Step();

        f.World.Remove<Target>(agents[1]);
        Assert.That(f.Step, Throws.TypeOf<AgentComponentException>().With.Message.Contains(agents[1].ToString()).And.Message.Contains("Target is missing"));
        f.World.Add(agents[1], new Target(new float[PopulationFixture.Outputs]));
        f.World.Remove<AgentAction>(agents[2]);
        Assert.That(f.Step, Throws.TypeOf<AgentComponentException>().With.Message.Contains(agents[2].ToString()).And.Message.Contains("AgentAction is missing"));
        f.World.Add(agents[2], new AgentAction());
        f.World.Add(agents[0], new Reward(1));
        Assert.That(f.Step, Throws.TypeOf<AgentComponentException>().With.Message.Contains(agents[0].ToString())
            .And.Message.Contains("Reward").And.Message.Contains("learns from Targets"));
        f.World.Remove<Reward>(agents[0]);
        var target = new float[PopulationFixture.Outputs];
        target[2] = float.NaN;
        Entity untagged = f.World.Create(new Observation(new float[PopulationFixture.Inputs]), new Target(target), new AgentAction());   // not sensed: keeps its NaN
        f.Population.Bind(untagged);
        Assert.That(f.Step, Throws.TypeOf<AgentComponentException>().With.Message.Contains(untagged.ToString()).And.Message.Contains("Target value 2 is NaN"));
        f.World.Get<Target>(untagged).Values.AsSpan()[2] = 0;

        Assert.That(f.Step, Throws.Nothing, "fixed, the population trains again");
    }
}
