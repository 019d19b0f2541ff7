using EcsNeural.Components.Agents;
using EcsNeural.Ecs;
using EcsNeural.Plugin;
using EcsNeural.Plugin.Agents;
using EcsNeural.Plugin.Building;
using EcsNeural.Systems.Optimizers;
using EcsNeural.Tests.Support;

namespace EcsNeural.Tests.Plugin;

/// <summary>Agents bound to population instances through the installed module, and the decision period.</summary>
public class AgentBindingTests
{
    private static readonly Mlp Controller = Mlp.Input(3).Dense(6, Activation.Tanh).Dense(2);

    [Test]
    public void AgentsActWithTheirOwnNetworkAndLearnTheirTargets()
    {
        using var host = new PluginHost();
        AgentNetwork brains = host.Module.CreatePopulation(Controller,
            new NetworkOptions { Instances = 0, Loss = OutputLoss.MeanSquaredError, Seed = 4, Optimizer = OptimizerOptions.Sgd(0.05) });
        Entity[] agents = Enumerable.Range(0, 5).Select(a => CreateAgent(host.World, a, brains.Network.Graph.Id)).ToArray();

        host.Tick();
        float firstLoss = brains.Network.Graph.Values(brains.Network.Loss, 0)[0];
        for (int frame = 0; frame < 300; frame++)
            host.Tick();

        Assert.That(brains.Population.BoundCount, Is.EqualTo(5));
        foreach (Entity agent in agents)
        {
            int instance = host.World.Get<Brain>(agent).Instance;
            Assert.That(host.World.Get<AgentAction>(agent).Values.AsReadOnlySpan().ToArray(),
                Is.EqualTo(brains.Network.Graph.Values(brains.Network.Output, instance).ToArray()));
        }
        Assert.That(brains.Network.Graph.Values(brains.Network.Loss, 0)[0], Is.LessThan(firstLoss / 10));
    }

    [Test]
    public void AgentChangesItsActionOnlyOnItsDecisionTicks()
    {
        using var host = new PluginHost(new NeuralPluginOptions { Mode = PluginMode.Inference });
        AgentNetwork brains = host.Module.CreatePopulation(Controller, new NetworkOptions { Instances = 0, Seed = 8 });
        Entity[] agents = Enumerable.Range(0, 3).Select(a => CreateAgent(host.World, a, brains.Network.Graph.Id)).ToArray();
        for (int a = 0; a < 3; a++)
            host.World.Add(agents[a], new DecisionPeriod(ticks: 3, phase: a));
        var seen = new float[3][][];
        for (int a = 0; a < 3; a++)
            seen[a] = new float[9][];

        for (long tick = 0; tick < 9; tick++)
        {
            foreach (Entity agent in agents)   // a new observation every tick, so every fresh decision differs
                host.World.Get<Observation>(agent).Values.AsSpan().Fill(MathF.Sin(tick + agent.Id));
            Assert.That(host.Module.Tick, Is.EqualTo(tick));
            host.Tick();
            for (int a = 0; a < 3; a++)
                seen[a][tick] = host.World.Get<AgentAction>(agents[a]).Values.AsReadOnlySpan().ToArray();
        }

        for (int a = 0; a < 3; a++)
        {
            for (int tick = 1; tick < 9; tick++)
            {
                bool decides = tick % 3 == a;
                if (decides)
                    Assert.That(seen[a][tick], Is.Not.EqualTo(seen[a][tick - 1]), $"agent {a} decides on tick {tick}");
                else
                    Assert.That(seen[a][tick], Is.EqualTo(seen[a][tick - 1]), $"agent {a} holds its decision on tick {tick}");
            }
        }
    }

    [Test]
    public void InstalledModuleTickAllocatesNothingAfterWarmUp()
    {
        using var host = new PluginHost();
        AgentNetwork brains = host.Module.CreatePopulation(Controller,
            new NetworkOptions { Instances = 0, Loss = OutputLoss.MeanSquaredError, Optimizer = OptimizerOptions.Adam(0.01) });
        for (int a = 0; a < 100; a++)
            host.World.Add(CreateAgent(host.World, a, brains.Network.Graph.Id), new DecisionPeriod(4, a % 4));
        Assert.That(Allocations.AfterWarmUp(host.Tick, steps: 100), Is.Zero);
    }

    [Test]
    public void DecisionPeriodRejectsBadPeriods()
    {
        Assert.That(Assert.Throws<ArgumentOutOfRangeException>(() => new DecisionPeriod(0))!.ParamName, Is.EqualTo("ticks"));
        Assert.That(Assert.Throws<ArgumentOutOfRangeException>(() => new DecisionPeriod(4, 4))!.ParamName, Is.EqualTo("phase"));
    }

    [Test]
    public void UninstallUnbindsAgentsButKeepsThem()
    {
        using var host = new PluginHost();
        AgentNetwork brains = host.Module.CreatePopulation(Controller, new NetworkOptions { Instances = 0 });
        Entity agent = CreateAgent(host.World, 0, brains.Network.Graph.Id);
        host.Tick();

        host.Module.Dispose();

        Assert.That(host.World.IsAlive(agent));
        Assert.That(host.World.Has<Brain>(agent), Is.False);
        Assert.That(host.World.Has<Observation>(agent));
        Assert.That(host.World.Size, Is.EqualTo(1));
    }

    [Test]
    public void AWorldHostsOneModuleAtATime()
    {
        using var host = new PluginHost();

        var ex = Assert.Throws<InvalidOperationException>(() => NeuralPlugin.Install(host.World, host.Scheduler, host.Game));
        Assert.That(ex!.Message, Does.Contain("already hosts"));

        host.Module.Dispose();
        using NeuralModule again = NeuralPlugin.Install(host.World, host.Scheduler, host.Game);
        Assert.That(host.Game.Systems, Is.EqualTo(new[] { again.Group }));
    }

    private static Entity CreateAgent(World world, int seed, int graphId)
    {
        Entity agent = world.Create(new Observation(MlpBuilderTests.RandomValues(3, seed)));
        world.Add(agent, new Target(MlpBuilderTests.RandomValues(2, seed + 100).Select(v => v / 2).ToArray()));
        world.Add(agent, new AgentAction());
        world.Add(agent, Brain.Unbound(graphId));
        return agent;
    }
}
