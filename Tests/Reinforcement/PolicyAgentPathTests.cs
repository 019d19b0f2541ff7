using EcsNeural.Components.Agents;
using EcsNeural.Ecs;
using EcsNeural.Ecs.Jobs;
using EcsNeural.Plugin;
using EcsNeural.Plugin.Agents;
using EcsNeural.Plugin.Building;
using EcsNeural.Systems.Population;
using EcsNeural.Systems.Reinforcement;

namespace EcsNeural.Tests.Reinforcement;

/// <summary>
/// The agent path refuses what it cannot do, naming the agent, the component and what is expected, and the world works
/// again once the agent is fixed.
/// </summary>
public class PolicyAgentPathTests
{
    private sealed class Host : IDisposable
    {
        public Host(ActionSpace actions)
        {
            Jobs = new JobScheduler(1);
            Module = NeuralPlugin.Install(World, Jobs, Game);
            Policy = Module.CreatePolicy(Mlp.Input(2).Dense(4, Activation.Tanh), actions, new PpoOptions { Seed = 1, RolloutTicks = 4, Capacity = 4 });
        }

        public World World { get; } = new();
        public JobScheduler Jobs { get; }
        public SystemGroup<float> Game { get; } = new("Game");
        public NeuralModule Module { get; }
        public PpoPolicy Policy { get; }

        public Entity Agent(params object[] extra)
        {
            Entity agent = World.Create(new Observation([0.5f, -0.5f]), new AgentAction(), new Reward());
            foreach (object component in extra)
            {
                switch (component)
                {
                    case ActionMask mask: World.Add(agent, mask); break;
                    case DecisionPeriod period: World.Add(agent, period); break;
                    default: throw new ArgumentException(component.GetType().Name);
                }
            }
            Policy.Bind(agent);
            return agent;
        }

        public void Tick() => Game.Update(0f);

        public void Dispose()
        {
            Module.Dispose();
            Jobs.Dispose();
            World.Dispose();
        }
    }

    private static void AssertRefused(Host host, Entity agent, string component, string expected)
        => Assert.That(host.Tick, Throws.TypeOf<AgentComponentException>()
            .With.Message.Contains(agent.ToString()).And.Message.Contains(component).And.Message.Contains(expected)
            .And.Property(nameof(AgentComponentException.Agent)).EqualTo(agent));

    [Test]
    public void MissingComponentsAreNamed()
    {
        using var host = new Host(ActionSpace.Continuous(1));
        host.Agent();
        Entity noObservation = host.Agent(), noAction = host.Agent(), noReward = host.Agent();
        host.Tick();

        host.World.Remove<Observation>(noObservation);
        AssertRefused(host, noObservation, nameof(Observation), "needs an Observation");
        host.World.Add(noObservation, new Observation([0f, 0f]));
        host.World.Remove<AgentAction>(noAction);
        AssertRefused(host, noAction, nameof(AgentAction), "needs an AgentAction");
        host.World.Add(noAction, new AgentAction());
        host.World.Remove<Reward>(noReward);
        AssertRefused(host, noReward, nameof(Reward), "learns from reward");
        host.World.Add(noReward, new Reward());

        Assert.That(host.Tick, Throws.Nothing, "fixed, the world runs again");
    }

    [Test]
    public void WrongSizesAndNonFiniteValuesAreNamed()
    {
        using var host = new Host(ActionSpace.Continuous(1));
        Entity agent = host.Agent();
        host.Tick();

        host.World.Get<Observation>(agent).Values.Set([1f, 2f, 3f]);
        AssertRefused(host, agent, nameof(Observation), "has 3 values, but policy");
        host.World.Get<Observation>(agent).Values.Set([1f, float.NaN]);
        AssertRefused(host, agent, nameof(Observation), "value 1 is NaN");
        host.World.Get<Observation>(agent).Values.Set([1f, 2f]);
        host.World.Get<Reward>(agent).Value = float.PositiveInfinity;
        AssertRefused(host, agent, nameof(Reward), "must be finite");
        host.World.Get<Reward>(agent).Value = 1;

        Assert.That(host.Tick, Throws.Nothing);
    }

    [Test]
    public void ActionMasksMustFitADiscretePolicy()
    {
        using (var continuous = new Host(ActionSpace.Continuous(1)))
        {
            Entity masked = continuous.Agent(new ActionMask([1f, 1f]));
            AssertRefused(continuous, masked, nameof(ActionMask), "masks are for discrete actions");
        }
        using var host = new Host(ActionSpace.Discrete(3));
        Entity agent = host.Agent(new ActionMask([1f, 0f, 1f]));
        host.Tick();
        Assert.That(host.World.Get<AgentAction>(agent).Values.AsReadOnlySpan()[0], Is.AnyOf(0f, 2f), "a masked action is never taken");

        host.World.Get<ActionMask>(agent).Allowed.Set([1f, 0f]);
        AssertRefused(host, agent, nameof(ActionMask), "has 2 flags, but policy");
        host.World.Get<ActionMask>(agent).Allowed.Set([0f, 0f, 0f]);
        AssertRefused(host, agent, nameof(ActionMask), "at least one must be allowed");
        host.World.Get<ActionMask>(agent).Allowed.Set([0f, 0.5f, 1f]);
        AssertRefused(host, agent, nameof(ActionMask), "flag 1 is 0.5");
    }

    [Test]
    public void APolicyAgentDecidesEveryTickAndFollowsOneNetwork()
    {
        using var host = new Host(ActionSpace.Continuous(1));
        Entity periodic = host.Agent(new DecisionPeriod(4));
        AssertRefused(host, periodic, nameof(DecisionPeriod), "decide every tick");
        host.World.Remove<DecisionPeriod>(periodic);

        AgentNetwork population = host.Module.CreatePopulation(Mlp.Input(2).Dense(1));
        Entity agent = host.World.Create(new Observation([0f, 0f]), new AgentAction(), new Reward());
        population.Population.Bind(agent);
        Assert.That(() => host.Policy.Bind(agent), Throws.ArgumentException.With.Message.Contains("already has a Brain"));
    }

    [Test]
    public void BindingAfterTheModuleIsGoneIsRefusedAndTheNextModuleWorks()
    {
        var world = new World();
        using var jobs = new JobScheduler(1);
        var game = new SystemGroup<float>("Game");
        NeuralModule first = NeuralPlugin.Install(world, jobs, game);
        PpoPolicy oldPolicy = first.CreatePolicy(Mlp.Input(2), ActionSpace.Continuous(1));
        AgentNetwork oldPopulation = first.CreatePopulation(Mlp.Input(2).Dense(1));
        first.Dispose();
        Entity agent = world.Create(new Observation([0f, 0f]), new AgentAction(), new Reward());

        Assert.That(() => oldPolicy.Bind(agent), Throws.TypeOf<ObjectDisposedException>().With.Message.Contains("uninstalled"));
        Assert.That(() => oldPopulation.Population.Bind(agent), Throws.TypeOf<ObjectDisposedException>().With.Message.Contains("uninstalled"));
        Assert.That(() => first.CreatePolicy(Mlp.Input(2), ActionSpace.Continuous(1)), Throws.TypeOf<ObjectDisposedException>());
        Assert.That(world.Has<PolicyBrain>(agent) || world.Has<Brain>(agent), Is.False, "a refused bind leaves the agent as it was");

        NeuralModule second = NeuralPlugin.Install(world, jobs, game);
        second.CreatePolicy(Mlp.Input(2), ActionSpace.Continuous(1)).Bind(agent);
        Assert.That(() => game.Update(0f), Throws.Nothing);
        Assert.That(world.Get<AgentAction>(agent).Values.Length, Is.EqualTo(1));
        second.Dispose();
        world.Dispose();
    }
}
