using EcsNeural.Components;
using System.IO.Hashing;
using System.Runtime.InteropServices;
using EcsNeural.Components.Agents;
using EcsNeural.Ecs;
using EcsNeural.Plugin.Building;
using EcsNeural.Systems.Graph;
using EcsNeural.Systems.Reinforcement;
using EcsNeural.Tests.Support;

namespace EcsNeural.Tests.Reinforcement;

/// <summary>Same seed, same inputs: the same bits with any worker count, with agents coming and going; no allocation per tick.</summary>
public class PolicyDeterminismTests
{
    [Test]
    public void ParametersAndActionsAreTheSameBitsWithOneAndTwoWorkers()
    {
        (ulong parameters, ulong actions) one = Run(workers: 1), two = Run(workers: 2);

        Assert.That(two, Is.EqualTo(one));
    }

    [Test]
    public void ATickAllocatesNothingAfterWarmUpUpdatesIncluded()
    {
        using var host = new PolicyHost<Bandit>(w => new Bandit(w), Mlp.Input(1).Dense(8, Activation.Tanh), ActionSpace.Discrete(2),
            new PpoOptions { Seed = 1, RolloutTicks = 8, Capacity = 16 }, workers: 2);
        for (int a = 0; a < 16; a++)
            host.Policy.Bind(host.World.Create(new Observation([1f]), new AgentAction(), new Reward()));
        for (int tick = 0; tick < 40; tick++)
            host.Tick();

        long bytes = Allocations.AfterWarmUp(host.Tick, steps: 24);   // three rollouts and their updates

        Assert.That(host.Policy.Updates, Is.GreaterThan(5));
        Assert.That(bytes, Is.Zero);
    }

    [Test]
    public void ASpreadUpdateRunsAFewStepsPerTickAndLandsBeforeTheNextRolloutCloses()
    {
        using var host = new PolicyHost<Bandit>(w => new Bandit(w), Mlp.Input(1), ActionSpace.Discrete(2),
            new PpoOptions { Seed = 3, RolloutTicks = 16, Capacity = 32, UpdateStepsPerTick = 2 });
        for (int a = 0; a < 32; a++)
            host.Policy.Bind(host.World.Create(new Observation([1f]), new AgentAction(), new Reward()));
        var updating = new List<bool>();
        for (int tick = 0; tick < 41; tick++)   // the second rollout closes at index 32; its update lands at index 40
        {
            host.Tick();
            updating.Add(host.Policy.Updating);
        }

        // 4 epochs × 4 minibatches = 16 steps, 2 per tick: the rollout closes at tick 16 (index 16), which only starts the
        // update; ticks 17–24 run its steps, the last of them finishing it.
        Assert.That(updating.IndexOf(true), Is.EqualTo(16));
        Assert.That(updating.Skip(16).TakeWhile(u => u).Count(), Is.EqualTo(8));
        Assert.That(host.Policy.Updates, Is.EqualTo(2));
        Assert.That(host.Policy.LastUpdate.Steps, Is.EqualTo(16));
    }

    private static (ulong Parameters, ulong Actions) Run(int workers)
    {
        using var host = new PolicyHost<MoveToGoal>(w => new MoveToGoal(w), Mlp.Input(1).Dense(16, Activation.Tanh), ActionSpace.Continuous(1),
            new PpoOptions { Seed = 9, RolloutTicks = 16, Capacity = 32, Minibatches = 2 }, workers);
        for (int a = 0; a < 40; a++)   // more than the capacity: the policy grows
            host.Policy.Bind(host.Environment.Spawn());
        var actions = new XxHash64();
        for (int tick = 0; tick < 200; tick++)
        {
            if (tick % 25 == 24)
            {
                host.World.Destroy(host.Policy.AgentOf(tick % 7));   // dies mid-rollout
                Entity newcomer = host.Environment.Spawn();
                host.World.Add(newcomer, PolicyBrain.Unbound(host.Policy.Id));   // bound at the next tick
            }
            host.Tick();
            for (int slot = 0; slot < host.Policy.Capacity; slot++)
            {
                Entity agent = host.Policy.AgentOf(slot);
                if (agent != Entity.Null)
                    actions.Append(MemoryMarshal.AsBytes(host.World.Get<AgentAction>(agent).Values.AsReadOnlySpan()));
            }
        }
        Assert.That(host.Policy.Updates, Is.GreaterThan(10));
        return (Checksum(host.Policy.TrainingGraph!), actions.GetCurrentHashAsUInt64());
    }

    private static ulong Checksum(ComputeGraph<float> graph)
    {
        var hash = new XxHash64();
        foreach (Entity node in graph.Nodes().Where(graph.World.Has<Trainable>))
            hash.Append(MemoryMarshal.AsBytes(graph.AllValues(node)));
        return hash.GetCurrentHashAsUInt64();
    }
}
