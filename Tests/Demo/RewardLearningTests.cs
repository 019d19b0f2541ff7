using EcsNeural.Demo.Arena;
using EcsNeural.Demo.Headless;
using EcsNeural.Demo.Training;
using EcsNeural.Components.Agents;
using EcsNeural.Ecs;
using EcsNeural.Tests.Support;

namespace EcsNeural.Tests.Demo;

/// <summary>
/// The reward mode end to end, through the module's own agent path: from scratch, with no teacher, one shared PPO policy
/// teaches the agents to forage, reproducibly, and its checkpoint brings the trained behaviour back.
/// </summary>
public class RewardLearningTests
{
    private string _directory = "";

    [SetUp]
    public void CreateDirectory() => _directory = Directory.CreateTempSubdirectory("ecsneural-reward-").FullName;

    [TearDown]
    public void DeleteDirectory() => Directory.Delete(_directory, recursive: true);

    [Test, Slow]
    public void AgentsLearnToForageFromRewardAlone()
    {
        RunSummary s = HeadlessRunner.Run(new HeadlessOptions
        {
            Agents = 128, Ticks = 6000, FramesEvery = 0, Workers = 2, Seed = 1, Signal = TrainingSignal.Reward,
            OutputDirectory = _directory, ShowProgress = false,
        });

        Assert.That(s.Signal, Is.EqualTo("reward"));
        Assert.That(s.FoodRateLate, Is.GreaterThanOrEqualTo(0.6 * s.TeacherFoodRate),
            $"food per agent per minute over the last 20%: {s.FoodRateLate:F2}, the teacher's own {s.TeacherFoodRate:F2}");
        Assert.That(s.FirstTickAtSixtyPercentOfTeacher, Is.Not.Null.And.LessThanOrEqualTo(30_000));
        Assert.That(s.FoodRateLate, Is.GreaterThanOrEqualTo(1.5 * s.FoodRateEarly), $"it learned: first 10% {s.FoodRateEarly:F2}");
        Assert.That(Path.GetFileName(s.CheckpointFile), Is.EqualTo("policy.ckpt"));
    }

    [Test, Slow]
    public void RewardModeParameterChecksumIsTheSameWithOneAndTwoWorkers()
    {
        string Run(int workers, string name) => HeadlessRunner.Run(new HeadlessOptions
        {
            Agents = 100, Ticks = 400, FramesEvery = 0, Workers = workers, Seed = 7, Signal = TrainingSignal.Reward, MeasureTeacher = false,
            OutputDirectory = Path.Combine(_directory, name), ShowProgress = false,
        }).ParameterChecksum;

        string one = Run(1, "a"), two = Run(2, "b");
        Assert.That(two, Is.EqualTo(one));
        Assert.That(Run(1, "c"), Is.EqualTo(one), "the same run twice gave different parameters");
    }

    [Test]
    public void ASavedPolicyLoadsIntoAFreshArenaAndActsAsSaved()
    {
        var config = new ArenaConfig { Agents = 32, Seed = 3 };
        string path;
        float[] saved;
        using (var trained = new ArenaSession(config, workers: 1, TrainingSignal.Reward))
        {
            for (int t = 0; t < 200; t++)
                trained.Step();
            path = trained.SaveNetwork(_directory);
            saved = trained.Policy.ActingGraph.Values(trained.Policy.Acting.PolicyWeights[0], 0).ToArray();
        }
        using var watching = new ArenaSession(config, workers: 1, TrainingSignal.Reward, learn: false);
        watching.LoadNetwork(path);

        Assert.That(watching.Policy.Learns, Is.False);
        Assert.That(watching.Policy.ActingGraph.Values(watching.Policy.Acting.PolicyWeights[0], 0).ToArray(), Is.EqualTo(saved));
        watching.Step();
        Assert.That(watching.Simulation.World.Get<AgentAction>(watching.Simulation.AgentOf(0)).Values.Length, Is.EqualTo(2));
    }

    [Test]
    public void SwitchingSignalsRebindsTheAgentsAndMarksTheCurves()
    {
        var config = new ArenaConfig { Agents = 24, Seed = 2 };
        using var session = new ArenaSession(config, workers: 1, TrainingSignal.Imitation, metricsInterval: 30);
        World world = session.Simulation.World;
        for (int t = 0; t < 60; t++)
            session.Step();
        session.SetSignal(TrainingSignal.Reward);
        for (int t = 0; t < 60; t++)
            session.Step();

        Entity agent = session.Simulation.AgentOf(5);
        Assert.That(world.Has<PolicyBrain>(agent) && world.Has<Reward>(agent), Is.True);
        Assert.That(world.Has<Brain>(agent) || world.Has<Target>(agent), Is.False);
        Assert.That(session.Metrics.Select(r => r.Signal), Is.EqualTo(new TrainingSignal?[] { TrainingSignal.Imitation, TrainingSignal.Imitation, TrainingSignal.Reward, TrainingSignal.Reward }));
        session.SetSignal(TrainingSignal.Imitation);
        session.Step();
        Assert.That(world.Get<Brain>(agent).Instance, Is.EqualTo(5), "bound again in slot order");
    }

    [Test]
    public void ARewardTickAllocatesNothingAfterWarmUpUpdatesIncluded()
    {
        using var session = new ArenaSession(new ArenaConfig { Agents = 64, Seed = 2 }, workers: 2, TrainingSignal.Reward, metricsInterval: 10_000);
        for (int t = 0; t < 130; t++)
            session.Step();
        Assert.That(Allocations.AfterWarmUp(session.Step, steps: 128), Is.Zero, "two rollouts of 64 ticks and their updates");
    }
}
