using EcsNeural.Components.Agents;
using EcsNeural.Ecs;
using EcsNeural.Ecs.Jobs;
using EcsNeural.Plugin;
using EcsNeural.Plugin.Building;
using EcsNeural.Systems.Population;
using EcsNeural.Systems.Reinforcement;
using EcsNeural.Tests.Support;

namespace EcsNeural.Tests.Reinforcement;

/// <summary>A policy observing 90 values per agent, with 40 discrete actions masked per agent: wider than agent components hold inline.</summary>
public class WidePolicyTests
{
    private const int Observations = 90, Actions = 40;

    private sealed class Host : IDisposable
    {
        public Host()
        {
            Jobs = new JobScheduler(2);
            Module = NeuralPlugin.Install(World, Jobs, Game);
            Policy = Module.CreatePolicy(Mlp.Input(Observations).Dense(8, Activation.Tanh), ActionSpace.Discrete(Actions),
                new PpoOptions { Seed = 2, RolloutTicks = 4, Capacity = 8 });
            for (int a = 0; a < Agents.Length; a++)
            {
                Agents[a] = World.Create(new Observation(Observed(a)), new AgentAction(), new Reward(), new ActionMask(Allowed(a)));
                Policy.Bind(Agents[a]);
            }
        }

        public World World { get; } = new();
        public JobScheduler Jobs { get; }
        public SystemGroup<float> Game { get; } = new("Game");
        public NeuralModule Module { get; }
        public PpoPolicy Policy { get; }
        public Entity[] Agents { get; } = new Entity[6];

        public static float[] Observed(int agent) => [.. Enumerable.Range(0, Observations).Select(k => (k - 45) * 0.01f + agent)];

        /// <summary>Agent a may take the actions k with k ≡ a (mod 3).</summary>
        public static float[] Allowed(int agent) => [.. Enumerable.Range(0, Actions).Select(k => k % 3 == agent % 3 ? 1f : 0f)];

        public void Tick() => Game.Update(0f);

        public void Dispose()
        {
            Module.Dispose();
            Jobs.Dispose();
            World.Dispose();
        }
    }

    [Test]
    public void WideObservationsReachTheActingRowsAndMasksOfFortyActionsHold()
    {
        using var host = new Host();
        for (int tick = 0; tick < 12; tick++)   // three rollouts: updates included
        {
            host.Tick();
            ReadOnlySpan<float> rows = host.Policy.ActingGraph.AllValues(host.Policy.Acting.Observation);
            for (int a = 0; a < host.Agents.Length; a++)
            {
                int slot = host.World.Get<PolicyBrain>(host.Agents[a]).Slot;
                Assert.That(rows.Slice(slot * Observations, Observations).ToArray(), Is.EqualTo(Host.Observed(a)), $"agent {a}, tick {tick}");
                int chosen = (int)host.World.Get<AgentAction>(host.Agents[a]).Values.AsReadOnlySpan()[0];
                Assert.That(chosen % 3, Is.EqualTo(a % 3), $"agent {a} took a masked action at tick {tick}");
            }
        }
    }

    [Test]
    public void AWideObservationOrMaskOfTheWrongWidthIsNamed()
    {
        using var host = new Host();
        host.Tick();
        Entity agent = host.Agents[2];

        host.World.Get<Observation>(agent).Values.Set(new float[Observations - 1]);
        Assert.That(host.Tick, Throws.TypeOf<AgentComponentException>().With.Message.Contains(agent.ToString())
            .And.Message.Contains("Observation has 89 values, but policy").And.Message.Contains($"observes {Observations}"));
        host.World.Get<Observation>(agent).Values.Set(Host.Observed(2));
        host.World.Get<ActionMask>(agent).Allowed.Set(new float[Actions + 1]);
        Assert.That(host.Tick, Throws.TypeOf<AgentComponentException>().With.Message.Contains(agent.ToString())
            .And.Message.Contains("ActionMask has 41 flags").And.Message.Contains($"among {Actions} actions"));
        host.World.Get<ActionMask>(agent).Allowed.Set(Host.Allowed(2));

        Assert.That(host.Tick, Throws.Nothing);
    }

    [Test]
    public void AWidePolicyTickAllocatesNothingAfterWarmUp()
    {
        using var host = new Host();
        Assert.That(Allocations.AfterWarmUp(host.Tick, steps: 16), Is.Zero);
    }
}
