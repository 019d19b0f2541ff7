using EcsNeural.Ecs;
using EcsNeural.Systems.Reinforcement;
using EcsNeural.Tests.Backprop;

namespace EcsNeural.Tests.Reinforcement;

/// <summary>
/// The pieces of PPO's loss, built from the engine's ops: their values against the closed forms (computed here), and their
/// gradients against central finite differences in float64 (<see cref="GradientCheck"/>).
/// </summary>
public class PolicyObjectiveTests
{
    private const double Tolerance = 1e-6;

    [Test]
    public void GaussianLogLikelihoodMatchesTheDensityAndItsGradient()
    {
        using var f = new EngineFixture<double>();
        Entity mean = f.Builder.Input(3, 2), logStd = f.Builder.Input(1, 2), action = f.Builder.Input(3, 2), weights = f.Builder.Input(3, 1);
        Entity logLikelihood = GaussianActions.LogLikelihood(f.Builder, mean, logStd, action);
        f.Graph.Loss = f.Builder.Dot(logLikelihood, weights);
        double[] mu = [0.1, -0.4, 1.2, 0.3, -0.7, 0.05], s = [-0.3, 0.4], a = [0.5, -1.0, 0.9, 1.1, -0.2, 0.0];
        f.Set(mean, mu);
        f.Set(logStd, s);
        f.Set(action, a);
        f.Set(weights, 0.7, -1.3, 0.4);

        Assert.That(GradientCheck.MaxRelativeError(f, [mean, logStd, action]), Is.LessThan(Tolerance));
        f.Step();   // the check leaves the last perturbed forward's values behind
        double[] value = f.Value(logLikelihood);
        for (int row = 0; row < 3; row++)
        {
            double expected = 0;
            for (int j = 0; j < 2; j++)
            {
                double sigma = Math.Exp(s[j]), z = (a[row * 2 + j] - mu[row * 2 + j]) / sigma;
                expected += -0.5 * z * z - Math.Log(sigma) - 0.5 * Math.Log(2 * Math.PI);
            }
            Assert.That(value[row], Is.EqualTo(expected).Within(1e-12), $"row {row}");
        }
    }

    [Test]
    public void GaussianEntropyIsTheClosedFormWithGradientOnePerLogStd()
    {
        using var f = new EngineFixture<double>();
        Entity logStd = f.Builder.Input(1, 3);
        f.Graph.Loss = GaussianActions.Entropy(f.Builder, logStd);
        f.Set(logStd, -1.0, 0.2, 0.9);

        Assert.That(GradientCheck.MaxRelativeError(f, [logStd]), Is.LessThan(Tolerance));
        f.Step();   // the check leaves the last perturbed forward's values behind
        Assert.That(f.Gradient(logStd), Is.EqualTo(new[] { 1.0, 1.0, 1.0 }));
        Assert.That(f.Value(f.Graph.Loss)[0], Is.EqualTo(-1.0 + 0.2 + 0.9 + 3 * 0.5 * (1 + Math.Log(2 * Math.PI))).Within(1e-12));
    }

    [Test]
    public void CategoricalLogLikelihoodAndEntropyRespectTheMask()
    {
        using var f = new EngineFixture<double>();
        Entity logits = f.Builder.Input(3, 4), mask = f.Builder.Input(3, 4), chosen = f.Builder.Input(3, 4), weights = f.Builder.Input(3, 1);
        Entity logProbabilities = CategoricalActions.LogProbabilities(f.Builder, logits, mask);
        Entity logLikelihood = CategoricalActions.LogLikelihood(f.Builder, logProbabilities, chosen);
        Entity entropy = CategoricalActions.Entropy(f.Builder, logProbabilities);
        f.Graph.Loss = f.Builder.Add(f.Builder.Dot(logLikelihood, weights), f.Builder.Scale(entropy, 0.3));
        double[] z = [0.2, -1.0, 0.5, 2.0, 1.5, 0.1, -0.3, 0.0, -2.0, 0.7, 0.7, 0.4];
        double[] m = [1, 1, 0, 1, 1, 1, 1, 1, 0, 1, 1, 0];
        f.Set(logits, z);
        f.Set(mask, m);
        f.Set(chosen, 0, 0, 0, 1, 0, 1, 0, 0, 0, 0, 1, 0);
        f.Set(weights, 1.0, -0.5, 2.0);

        Assert.That(GradientCheck.MaxRelativeError(f, [logits]), Is.LessThan(Tolerance));
        f.Step();   // the check leaves the last perturbed forward's values behind
        double[] gradient = f.Gradient(logits);
        for (int k = 0; k < m.Length; k++)
        {
            if (m[k] == 0)
                Assert.That(gradient[k], Is.EqualTo(0), $"a masked logit ({k}) gets no gradient");
        }
        int[] chosenIndex = [3, 1, 2];
        double entropySum = 0;
        for (int row = 0; row < 3; row++)
        {
            double normalizer = Math.Log(Enumerable.Range(0, 4).Where(k => m[row * 4 + k] == 1).Sum(k => Math.Exp(z[row * 4 + k])));
            Assert.That(f.Value(logLikelihood)[row], Is.EqualTo(z[row * 4 + chosenIndex[row]] - normalizer).Within(1e-12));
            entropySum -= Enumerable.Range(0, 4).Where(k => m[row * 4 + k] == 1)
                .Sum(k => Math.Exp(z[row * 4 + k] - normalizer) * (z[row * 4 + k] - normalizer));
        }
        Assert.That(f.Value(entropy)[0], Is.EqualTo(entropySum / 3).Within(1e-12));
    }

    [Test]
    public void ClippedSurrogateIsPposObjectiveAndStopsTheGradientWhereTheClippedTermIsSmaller()
    {
        using var f = new EngineFixture<double>();
        Entity logLikelihood = f.Builder.Input(6, 1), old = f.Builder.Input(6, 1), advantage = f.Builder.Input(6, 1);
        (Entity loss, Entity ratio) = ClippedSurrogate.Build(f.Builder, logLikelihood, old, advantage, clip: 0.2);
        f.Graph.Loss = loss;
        // Ratios 1.05 and 0.9 (inside the clip range), 1.5 and 0.6 (outside), each with advantages of both signs.
        double[] r = [1.05, 0.9, 1.5, 1.5, 0.6, 0.6], adv = [0.8, -1.2, 1.0, -1.0, 1.0, -1.0], oldLog = [-1.0, -0.5, -2.0, 0.3, -1.1, -0.2];
        f.Set(logLikelihood, [.. oldLog.Zip(r, (o, ratioValue) => o + Math.Log(ratioValue))]);
        f.Set(old, oldLog);
        f.Set(advantage, adv);

        Assert.That(GradientCheck.MaxRelativeError(f, [logLikelihood]), Is.LessThan(Tolerance));
        f.Step();   // the check leaves the last perturbed forward's values behind
        double expected = 0;
        for (int i = 0; i < 6; i++)
            expected += Math.Min(r[i] * adv[i], Math.Clamp(r[i], 0.8, 1.2) * adv[i]);
        Assert.That(f.Value(loss)[0], Is.EqualTo(-expected / 6).Within(1e-12));
        Assert.That(f.Value(ratio), Is.EqualTo(r).Within(1e-12));
        double[] gradient = f.Gradient(logLikelihood);
        // −(1/6)·r·A where the unclipped term is the smaller; 0 where clipping bounds the objective (r = 1.5, A > 0; r = 0.6, A < 0).
        double[] expectedGradient = [.. Enumerable.Range(0, 6).Select(i => (i is 2 or 5) ? 0 : -r[i] * adv[i] / 6)];
        Assert.That(gradient, Is.EqualTo(expectedGradient).Within(1e-12));
    }
}
