using EcsNeural.Components.Agents;
using EcsNeural.Plugin.Building;
using EcsNeural.Systems.Optimizers;
using EcsNeural.Systems.Reinforcement;
using EcsNeural.Tests.Support;

namespace EcsNeural.Tests.Reinforcement;

/// <summary>Policies learn tasks with a known optimum to near-optimal return within a fixed number of ticks (fixed seeds).</summary>
[Slow]
public class LearningTests
{
    [Test]
    public void TwoArmedBanditLearnsToPullTheBetterArm()
    {
        using var host = new PolicyHost<Bandit>(w => new Bandit(w), Mlp.Input(1), ActionSpace.Discrete(2),
            new PpoOptions { Seed = 3, RolloutTicks = 16, Gamma = 0, Lambda = 0, Capacity = 32, EntropyCoefficient = 0.001, Optimizer = OptimizerOptions.Adam(3e-3) });
        for (int a = 0; a < 32; a++)
            host.Policy.Bind(host.World.Create(new Observation([1f]), new AgentAction(), new Reward()));
        for (int tick = 0; tick < 1600; tick++)
            host.Tick();

        ReadOnlySpan<float> logits = host.Policy.ActingGraph.Values(host.Policy.Acting.PolicyHead, 0)[..2];
        double better = 1 / (1 + Math.Exp(logits[0] - logits[1]));
        TestContext.Out.WriteLine($"π(better arm) = {better:F4} after {host.Policy.Updates} updates; {host.Policy.LastUpdate}");
        Assert.That(better, Is.GreaterThan(0.95), "the policy pulls the arm paying 0.7 (the other pays 0.3) almost always");
        Assert.That(host.Policy.LastUpdate.MeanReward, Is.GreaterThan(0.66), "the last rollout's pay-out rate is near the optimum 0.7");
    }

    [Test]
    public void MoveToGoalLearnsToWalkStraightToTheGoal()
    {
        using var host = new PolicyHost<MoveToGoal>(w => new MoveToGoal(w), Mlp.Input(1).Dense(16, Activation.Tanh), ActionSpace.Continuous(1),
            new PpoOptions { Seed = 5, RolloutTicks = 32, Capacity = 64, Optimizer = OptimizerOptions.Adam(1e-3) });
        for (int a = 0; a < 64; a++)
            host.Policy.Bind(host.Environment.Spawn());
        for (int tick = 0; tick < 300; tick++)
            host.Tick();
        double early = host.Environment.ReturnSum / host.Environment.Episodes;
        for (int tick = 300; tick < 2500; tick++)
            host.Tick();
        host.Environment.ResetTally();
        for (int tick = 0; tick < 500; tick++)
            host.Tick();

        MoveToGoal env = host.Environment;
        double learned = env.ReturnSum / env.Episodes, optimal = env.OptimalReturnSum / env.Episodes;
        TestContext.Out.WriteLine($"mean return: first 300 ticks {early:F3}, ticks 2500–3000 {learned:F3} (optimal {optimal:F3}); "
            + $"{env.Reached} reached, {env.Cut} cut; {host.Policy.LastUpdate}");
        Assert.That(learned, Is.GreaterThan(0.97 * optimal), "near-optimal return: straight to the goal, exploration noise and all");
        Assert.That(env.Cut, Is.Zero, "no episode runs into the time limit any more");
        Assert.That(early, Is.LessThan(0.8 * optimal), "it did have to learn");
    }
}
