using EcsNeural.Systems.Reinforcement;

namespace EcsNeural.Tests.Reinforcement;

/// <summary>Acting: sampled actions follow the policy's distribution and report its log-probability.</summary>
public class ActionSamplingTests
{
    [Test]
    public void GaussianSamplesHaveThePolicysMomentsAndLogProbability()
    {
        float[] mean = [0.5f, -1f], logStd = [MathF.Log(0.3f), MathF.Log(2f)];
        var action = new float[2];
        var std = new double[2];
        GaussianActions.StandardDeviations(logStd, std);
        const int n = 20000;
        double[] sum = new double[2], squares = new double[2];
        for (int i = 0; i < n; i++)
        {
            float logProbability = GaussianActions.Sample(mean, logStd, std, seed: 4, agent: 9, step: (ulong)i, action);
            double expected = 0;
            for (int j = 0; j < 2; j++)
            {
                double sigma = Math.Exp(logStd[j]), z = (action[j] - mean[j]) / sigma;
                expected += -0.5 * z * z - Math.Log(sigma) - 0.5 * Math.Log(2 * Math.PI);
                sum[j] += action[j];
                squares[j] += (action[j] - mean[j]) * (action[j] - mean[j]);
            }
            Assert.That(logProbability, Is.EqualTo(expected).Within(1e-4));
        }
        for (int j = 0; j < 2; j++)
        {
            Assert.That(sum[j] / n, Is.EqualTo(mean[j]).Within(4 * Math.Exp(logStd[j]) / Math.Sqrt(n)), $"mean of component {j}");
            Assert.That(Math.Sqrt(squares[j] / n), Is.EqualTo(Math.Exp(logStd[j])).Within(0.03 * Math.Exp(logStd[j])), $"σ of component {j}");
        }
    }

    [Test]
    public void CategoricalSamplesFollowTheSoftmaxAndNeverTakeAMaskedAction()
    {
        float[] logits = [1f, 0f, 3f, -1f], mask = [1, 1, 0, 1];
        var counts = new int[4];
        const int n = 40000;
        double normalizer = Math.Exp(1) + Math.Exp(0) + Math.Exp(-1);
        var random = new Random(12);
        for (int i = 0; i < n; i++)
        {
            int k = CategoricalActions.Sample(logits, mask, random.NextDouble(), out float logProbability);
            counts[k]++;
            Assert.That(logProbability, Is.EqualTo(logits[k] - Math.Log(normalizer)).Within(1e-5));
        }
        Assert.That(counts[2], Is.Zero);
        foreach (int k in new[] { 0, 1, 3 })
        {
            double p = Math.Exp(logits[k]) / normalizer;
            Assert.That(counts[k] / (double)n, Is.EqualTo(p).Within(4 * Math.Sqrt(p * (1 - p) / n)), $"frequency of action {k}");
        }
        Assert.That(CategoricalActions.Mode(logits, mask), Is.EqualTo(0));
        Assert.That(CategoricalActions.Mode(logits, []), Is.EqualTo(2));
    }
}
