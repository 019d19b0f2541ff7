using EcsNeural.Components.Agents;
using EcsNeural.Ecs;
using EcsNeural.Plugin.Building;
using EcsNeural.Systems.Optimizers;
using EcsNeural.Systems.Reinforcement;

namespace EcsNeural.Tests.Reinforcement;

/// <summary>Policies learn tasks with a known optimum to near-optimal return within a fixed number of ticks (fixed seeds).</summary>
public class LearningTests
{
    [Test]
    public void TwoArmedBanditLearnsToPullTheBetterArm()
    {
        using var host = new PolicyHost<Bandit>(w => new Bandit(w), Mlp.Input(1), ActionSpace.Discrete(2),
            new PpoOptions { Seed = 3, RolloutTicks = 16, Gamma = 0, Lambda = 0, Capacity = 32, EntropyCoefficient = 0.001, Optimizer = OptimizerOptions.Adam(3e-3) });
        for (int a = 0; a < 32; a++)
            host.Policy.Bind(host.World.Create(new Observation([1f]), new AgentAction(), new Reward()));
        for (int tick = 0; tick < 800; tick++)
            host.Tick();
        host.Environment.ResetTally();
        for (int tick = 0; tick < 100; tick++)
            host.Tick();
        double rate = host.Environment.RewardSum / host.Environment.Pulls;
        TestContext.Out.WriteLine($"pay-out rate after 800 ticks: {rate:F3} (optimum 0.7, random 0.5); updates {host.Policy.Updates}, last {host.Policy.LastUpdate}");
        Assert.That(rate, Is.GreaterThan(0.66));
    }

    [Test]
    public void MoveToGoalLearnsToWalkStraightToTheGoal()
    {
        using var host = new PolicyHost<MoveToGoal>(w => new MoveToGoal(w), Mlp.Input(1).Dense(16, Activation.Tanh), ActionSpace.Continuous(1),
            new PpoOptions { Seed = 5, RolloutTicks = 32, Capacity = 64, Optimizer = OptimizerOptions.Adam(1e-3) });
        for (int a = 0; a < 64; a++)
            host.Policy.Bind(host.Environment.Spawn());
        for (int tick = 0; tick < 3000; tick++)
        {
            host.Tick();
            if (tick % 500 == 499)
            {
                TestContext.Out.WriteLine($"tick {tick + 1}: reached {host.Environment.Reached}, cut {host.Environment.Cut}, mean return {host.Environment.ReturnSum / Math.Max(1, host.Environment.Episodes):F3}; {host.Policy.LastUpdate}");
                host.Environment.ResetTally();
            }
        }
    }
}
