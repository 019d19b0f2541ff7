using EcsNeural.Benchmarks;
using EcsNeural.Benchmarks.Reinforcement;
using EcsNeural.Ecs.Jobs;
using EcsNeural.Tests.Support;

namespace EcsNeural.Tests.Benchmarks;

/// <summary>
/// The runner's <c>rl</c> suite on a tiny PPO game: it times ticks, updates and ticks of a spread update, and a tick
/// allocates nothing once warm.
/// </summary>
public class PpoBenchmarkTests
{
    /// <summary>A PPO game small enough for a test.</summary>
    internal static readonly PpoSpec Tiny = new(Agents: 24, Observations: 3, Actions: 2, Hidden: [8], RolloutTicks: 8, Epochs: 2, Minibatches: 2);

    [Test]
    public void TheRlSuiteReportsATickAnUpdateAndASpreadTickThatAllocateNothing()
    {
        // In a child process: the runner counts every thread's allocations, and the test host's threads allocate too.
        string output = ChildProcess.Run("rl-tiny");

        Assert.That(output, Is.EqualTo($"rl-tick ours 0 True{Environment.NewLine}rl-update ours 0 True{Environment.NewLine}"
            + $"rl-spread ours 0 True{Environment.NewLine}completed{Environment.NewLine}"),
            "each: workload, impl, bytes allocated per step after warm-up (a tick — closing ticks and their updates included —, a rollout, "
            + "a tick — those running update steps included), a timed minimum > 0");
    }

    [Test]
    public void SetupPlaysThroughTheFirstUpdateAndAnUpdateStepRunsOneRolloutAndTimesItsUpdateAlone()
    {
        using var scheduler = new JobScheduler(1);
        using var workload = new PpoWorkload(Tiny, PpoWorkload.Kind.Update, scheduler);
        workload.Setup();
        long ticksAtSetup = workload.Game.Policy.Tick;

        workload.Step();

        Assert.Multiple(() =>
        {
            Assert.That(ticksAtSetup, Is.EqualTo(Tiny.RolloutTicks + 1), "a rollout's ticks, then the tick that closes it");
            Assert.That(workload.Game.Policy.Updates, Is.EqualTo(2));
            Assert.That(workload.Game.Policy.Tick - ticksAtSetup, Is.EqualTo(Tiny.RolloutTicks), "the next rollout's last tick closes it");
            Assert.That(workload.TimedMilliseconds, Is.EqualTo(workload.Game.Policy.LastUpdate.Milliseconds));
            Assert.That(workload.Game.Policy.LastUpdate.Steps, Is.EqualTo(Tiny.Epochs * Tiny.Minibatches));
        });
    }

    [Test]
    public void ATickStepRunsARolloutsClosingTickUntimedAndTimesTheNext()
    {
        using var scheduler = new JobScheduler(1);
        using var workload = new PpoWorkload(Tiny, PpoWorkload.Kind.Tick, scheduler);
        workload.Setup();

        var ticksPerStep = new List<long>();
        for (int step = 0; step < 3 * Tiny.RolloutTicks; step++)
        {
            long ticks = workload.Game.Policy.Tick;
            workload.Step();
            ticksPerStep.Add(workload.Game.Policy.Tick - ticks);
        }

        Assert.Multiple(() =>
        {
            Assert.That(workload.Game.Policy.Updates, Is.EqualTo(4), "Setup's and three more");
            Assert.That(ticksPerStep.Count(t => t == 2), Is.EqualTo(3), "each rollout's closing tick is run untimed before a timed one");
            Assert.That(ticksPerStep.All(t => t is 1 or 2));
        });
    }

    [Test]
    public void ASpreadStepIsOneTickAndARolloutsWorthOfThemRunsEveryMinibatchStepOfOneUpdate()
    {
        using var scheduler = new JobScheduler(1);
        using var workload = new PpoWorkload(Tiny, PpoWorkload.Kind.Spread, scheduler);
        workload.Setup();
        for (int warmup = 0; warmup < BenchmarkRun.WarmupSteps; warmup++)
            workload.Step();
        long ticks = workload.Game.Policy.Tick, updates = workload.Game.Policy.Updates;

        int updateTicks = 0;
        for (int step = 0; step < PpoBenchmark.TickSteps(Tiny, 4); step++)
        {
            bool updating = workload.Game.Policy.Updating;   // begun on an earlier tick (the closing tick only starts it)
            workload.Step();
            if (updating)
                updateTicks++;   // this tick ran one of the update's minibatch steps
        }

        Assert.Multiple(() =>
        {
            Assert.That(workload.Game.Policy.Options.UpdateStepsPerTick, Is.EqualTo(1));
            Assert.That(workload.Game.Policy.Tick - ticks, Is.EqualTo(PpoBenchmark.TickSteps(Tiny, 4)), "a step is one tick");
            Assert.That(workload.Game.Policy.Updates - updates, Is.EqualTo(1), "the timed ticks finish exactly one update");
            Assert.That(updateTicks, Is.EqualTo(Tiny.Epochs * Tiny.Minibatches), "one minibatch step a tick, every step of it timed");
            Assert.That(workload.Game.Policy.LastUpdate.Steps, Is.EqualTo(Tiny.Epochs * Tiny.Minibatches));
            Assert.That(workload.TimedMilliseconds, Is.Null, "the whole tick is timed");
        });
    }
}
