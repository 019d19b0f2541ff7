using EcsNeural.Demo.Arena;
using EcsNeural.Demo.Training;
using EcsNeural.Ecs;
using EcsNeural.Ecs.Jobs;
using EcsNeural.Tests.Support;

namespace EcsNeural.Tests.Demo;

/// <summary>The arena as ECS data: agents and pellets are entities, the tick is a system group, food is accounted for.</summary>
public class ArenaWorldTests
{
    [Test]
    public void AgentsAndPelletsAreEntitiesAndTheTickIsASystemGroup()
    {
        var config = new ArenaConfig { Agents = 64, Seed = 3 };
        using var session = new ArenaSession(config, workers: 1);
        ArenaSimulation arena = session.Simulation;

        Assert.That(arena.World.CountEntities(ArenaSimulation.Agents), Is.EqualTo(64));
        Assert.That(arena.World.CountEntities(ArenaSimulation.Food), Is.EqualTo(config.FoodCount));
        Assert.That(arena.World.CountEntities(new QueryDescription().WithAll<Forager, EcsNeural.Components.Agents.Brain>()), Is.EqualTo(64),
            "every agent is bound to its own network of the module's population");
        // The neural module sits in the arena's own tick group, installed by NeuralPlugin.Install between sensing and moving.
        Assert.That(arena.Systems.Systems.Select(s => s is ISystemGroup group ? group.Name : s.GetType().Name),
            Is.EqualTo(new[] { "SenseSystem", "TeacherSystem", "EcsNeural", "SteerSystem", "MoveSystem", "SeparateSystem", "EatSystem", "RespawnSystem", "RewardSystem" }));
        Assert.That(session.Module.World, Is.SameAs(arena.World));
        for (int slot = 0; slot < config.Agents; slot++)
            Assert.That(arena.World.Get<Forager>(arena.AgentOf(slot)).Slot, Is.EqualTo(slot));
    }

    [Slow]
    [Test]
    public void EveryPelletEatenIsCreditedToOneAgentAndRespawnsOnce()
    {
        var config = new ArenaConfig { Agents = 64, Seed = 5 };
        using var session = new ArenaSession(config, workers: 1, teacherDrives: true);
        for (int t = 0; t < 900; t++) session.Step();

        long credited = 0, respawns = 0;
        foreach (Chunk chunk in session.Simulation.World.Query(ArenaSimulation.Agents))
            foreach (Forager f in chunk.GetSpan<Forager>()) credited += f.Eaten;
        foreach (Chunk chunk in session.Simulation.World.Query(ArenaSimulation.Food))
            foreach (FoodPellet p in chunk.GetSpan<FoodPellet>()) respawns += p.Respawns;

        Assert.That(session.Simulation.TotalEaten, Is.GreaterThan(20), "the teacher-driven agents should find food within 15 s");
        Assert.That(credited, Is.EqualTo(session.Simulation.TotalEaten));
        Assert.That(respawns, Is.EqualTo(session.Simulation.TotalEaten));
    }

    /// <summary>With one worker every job runs on this thread, so its allocations are counted too.</summary>
    [Slow]
    [Test]
    public void ArenaTickAllocatesNothingAfterWarmUp([Values(1, 2)] int workers)
    {
        var config = new ArenaConfig { Agents = 256, Seed = 2 };
        using var jobs = new JobScheduler(workers);
        using var arena = new ArenaSimulation(config, jobs);
        var forward = new float[config.Agents * ArenaConfig.ActionSize];
        for (int i = 0; i < config.Agents; i++) { forward[2 * i] = (i % 3 - 1) * 0.5f; forward[2 * i + 1] = 1; }
        long allocated = Allocations.AfterWarmUp(() =>
        {
            arena.SetSteering(forward);
            arena.Step();
        }, steps: 200);

        Assert.That(arena.TotalEaten, Is.GreaterThan(0), "agents driving forward should run into some food");
        Assert.That(allocated, Is.Zero);
    }

    [Slow]
    [TestCase(TrainingSignal.Imitation)]
    [TestCase(TrainingSignal.Reward)]
    public void SessionTickAllocatesNothingAfterWarmUp(TrainingSignal signal)
    {
        var config = new ArenaConfig { Agents = 128, Seed = 2 };
        using var session = new ArenaSession(config, workers: 1, signal, metricsInterval: 1000);
        Assert.That(Allocations.AfterWarmUp(session.Step, steps: 200), Is.Zero, "sense → teacher → module (act, learn, PPO updates) → steer → move → separate → eat → respawn → reward");
    }
}
