using System.Runtime.InteropServices;
using EcsNeural.Demo.Arena;
using EcsNeural.Ecs;
using EcsNeural.Ecs.Jobs;
using EcsNeural.Tests.Support;

namespace EcsNeural.Tests.Demo;

/// <summary>The arena's per-agent steps run as jobs; the arena's state must not depend on how many threads ran them.</summary>
[Slow]
public class ArenaParallelTests
{
    /// <summary>
    /// Agents steered by the teacher from their own observations, so sensing feeds back into moving, separating and
    /// eating. 4,500 agents span two chunks, the second ending in a partial block.
    /// </summary>
    [TestCase(300, 150)]
    [TestCase(4500, 25)]
    public void ArenaStateIsBitIdenticalWithOneTwoAndThreeWorkers(int agents, int ticks)
    {
        byte[] single = RunAndCapture(agents, ticks, workers: 1);
        Assert.That(single, Is.Not.Empty);
        foreach (int workers in new[] { 2, 3 })
            Assert.That(RunAndCapture(agents, ticks, workers), Is.EqualTo(single), $"{workers} workers against 1");
    }

    [Test]
    public void AgentsOfOneArenaCannotBeRestructuredWhileTheirStepRuns()
    {
        using var jobs = new JobScheduler(2);
        using var arena = new ArenaSimulation(new ArenaConfig { Agents = 64, Seed = 1 }, jobs);
        var error = Assert.Throws<AggregateException>(() => arena.RunOnAgents(new DestroyAnAgent(arena.World, arena.AgentOf(3))));

        Assert.That(error!.InnerExceptions.Single(), Is.InstanceOf<InvalidOperationException>());
        Assert.That(arena.World.IsAlive(arena.AgentOf(3)), "the refused destroy left the agent alone");
        Assert.DoesNotThrow(() => arena.Step(), "the world is usable after the failed step");
    }

    /// <summary>Every agent's position, motion, sensors, meals and observation by slot, as raw bytes.</summary>
    private static byte[] RunAndCapture(int agents, int ticks, int workers)
    {
        var config = new ArenaConfig { Agents = agents, Seed = 11 };
        using var jobs = new JobScheduler(workers);
        using var arena = new ArenaSimulation(config, jobs);
        var actions = new float[agents * ArenaConfig.ActionSize];
        for (int t = 0; t < ticks; t++)
        {
            for (int slot = 0; slot < agents; slot++)
                SteeringTeacher.Steer(config, arena.ObservationOf(slot), actions.AsSpan(slot * ArenaConfig.ActionSize, ArenaConfig.ActionSize));
            arena.SetSteering(actions);
            arena.Step();
        }
        Assert.That(arena.TotalEaten, Is.GreaterThan(0), "the teacher's agents should eat something, or eating went untested");

        var positions = new Position[agents];
        var motions = new Motion[agents];
        var sensors = new Sensors[agents];
        var eaten = new int[agents];
        var observations = new float[agents * config.ObservationSize];
        foreach (Chunk chunk in arena.World.Query(ArenaSimulation.Agents))
        {
            Span<Forager> foragers = chunk.GetSpan<Forager>();
            for (int i = 0; i < chunk.Count; i++)
            {
                int slot = foragers[i].Slot;
                positions[slot] = chunk.GetSpan<Position>()[i];
                motions[slot] = chunk.GetSpan<Motion>()[i];
                sensors[slot] = chunk.GetSpan<Sensors>()[i];
                eaten[slot] = foragers[i].Eaten;
                chunk.GetSpan<EcsNeural.Components.Agents.Observation>()[i].Values.AsReadOnlySpan().CopyTo(observations.AsSpan(slot * config.ObservationSize));
            }
        }
        return
        [
            .. MemoryMarshal.AsBytes(positions.AsSpan()), .. MemoryMarshal.AsBytes(motions.AsSpan()),
            .. MemoryMarshal.AsBytes(sensors.AsSpan()), .. MemoryMarshal.AsBytes(eaten.AsSpan()),
            .. MemoryMarshal.AsBytes(observations.AsSpan()),
        ];
    }

    private readonly struct DestroyAnAgent(World world, Entity agent) : IAgentStep
    {
        public void Update(in AgentColumns chunk, int row)
        {
            if (row == 0) world.Destroy(agent);
        }
    }
}
