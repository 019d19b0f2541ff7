using EcsNeural.Systems.Reinforcement;

namespace EcsNeural.Tests.Reinforcement;

/// <summary>GAE against values worked out by hand (γ = 0.9, λ = 0.8, so γλ = 0.72).</summary>
public class GeneralizedAdvantageTests
{
    private const float Gamma = 0.9f, Lambda = 0.8f;
    private const StepOutcome Step = StepOutcome.Acted | StepOutcome.Rewarded;

    [Test]
    public void AnEpisodeWithATerminalEndATruncationAndTheRolloutsEnd()
    {
        // t0 → t1 ends for good; t2 is the final observation (not acted); t3 → t4 is cut by a time limit (final state's value
        // 0.3); t5 is that final observation; t6 → t7 runs on past the rollout's end (value of the next state 0.8).
        StepOutcome[] outcomes = [Step, Step | StepOutcome.Terminal, StepOutcome.None, Step, Step | StepOutcome.Truncated, StepOutcome.None, Step, Step];
        float[] rewards = [1, 0, 0, 2, -1, 0, 0.5f, 1];
        float[] values = [0.5f, 0.4f, 0, 1.0f, 0.2f, 0, 0.1f, 0.6f];
        float[] bootstraps = [0, 0, 0, 0, 0.3f, 0, 0, 0];
        (float[] a, float[] r, bool[] usable) = Compute(outcomes, rewards, values, bootstraps, finalValue: 0.8f);

        // By hand: δ7 = 1 + 0.9·0.8 − 0.6 = 1.12, A7 = δ7; δ6 = 0.5 + 0.9·0.6 − 0.1 = 0.94, A6 = 0.94 + 0.72·1.12;
        // A4 = −1 + 0.9·0.3 − 0.2 (truncated: bootstrap, no later advantage); δ3 = 2 + 0.9·0.2 − 1 = 1.18, A3 = 1.18 + 0.72·A4;
        // A1 = 0 − 0.4 (terminal); δ0 = 1 + 0.9·0.4 − 0.5 = 0.86, A0 = 0.86 + 0.72·A1.
        double[] expected = [0.86 + 0.72 * -0.4, -0.4, 0, 1.18 + 0.72 * -0.93, -0.93, 0, 0.94 + 0.72 * 1.12, 1.12];
        bool[] expectedUsable = [true, true, false, true, true, false, true, true];
        Assert.That(usable, Is.EqualTo(expectedUsable));
        for (int t = 0; t < outcomes.Length; t++)
        {
            if (!expectedUsable[t])
                continue;
            Assert.That(a[t], Is.EqualTo(expected[t]).Within(1e-6), $"advantage at t = {t}");
            Assert.That(r[t], Is.EqualTo(expected[t] + values[t]).Within(1e-6), $"return at t = {t}");
        }
    }

    [Test]
    public void AStepWhoseAgentLeftBeforeItsRewardIsDroppedButItsValueBootstrapsTheStepBefore()
    {
        StepOutcome[] outcomes = [Step, StepOutcome.Acted];
        (float[] a, _, bool[] usable) = Compute(outcomes, [1, 0], [0.5f, 0.7f], [0, 0], finalValue: null);

        Assert.That(usable, Is.EqualTo(new[] { true, false }));
        Assert.That(a[0], Is.EqualTo(1 + 0.9 * 0.7 - 0.5).Within(1e-6));   // no later advantage: its own is unknown
    }

    [Test]
    public void TheLastStepWithoutTheNextStatesValueHasNoEstimate()
    {
        (_, _, bool[] usable) = Compute([Step, Step], [1, 1], [0, 0], [0, 0], finalValue: null);

        Assert.That(usable, Is.EqualTo(new[] { true, false }));
    }

    [Test]
    public void LambdaOneGivesTheDiscountedReturnMinusTheValue()
    {
        float[] rewards = [1, 2, 3];
        float[] values = [0.3f, -0.2f, 0.5f];
        (float[] a, float[] r, _) = Compute([Step, Step, Step | StepOutcome.Terminal], rewards, values, [0, 0, 0], finalValue: null, lambda: 1);

        double g2 = 3, g1 = 2 + 0.9 * g2, g0 = 1 + 0.9 * g1;
        Assert.That(r, Is.EqualTo(new[] { g0, g1, g2 }).Within(1e-5));
        Assert.That(a[0], Is.EqualTo(g0 - 0.3).Within(1e-5));
    }

    private static (float[] Advantages, float[] Returns, bool[] Usable) Compute(StepOutcome[] outcomes, float[] rewards, float[] values,
        float[] bootstraps, float? finalValue, float lambda = Lambda)
    {
        var advantages = new float[outcomes.Length];
        var returns = new float[outcomes.Length];
        var usable = new bool[outcomes.Length];
        GeneralizedAdvantage.Compute(outcomes, rewards, values, bootstraps, finalValue, Gamma, lambda, advantages, returns, usable);
        return (advantages, returns, usable);
    }
}
