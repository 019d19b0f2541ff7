using EcsNeural.Components;
using EcsNeural.Ecs;

namespace EcsNeural.Tests.Backprop;

/// <summary>Initialisers draw the advertised distributions from the graph's seed, the same bits on every run.</summary>
public class InitializerTests
{
    private static double[] Draw(ParameterInit init, ulong seed = 12, int rows = 200, int cols = 100)
    {
        using var f = new EngineFixture<double>(seed: seed);
        Entity w = f.Builder.Parameter(rows, cols, init);
        return f.Value(w);
    }

    private static double StandardDeviation(double[] values)
    {
        double mean = values.Average();
        return Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / values.Length);
    }

    [Test]
    public void XavierUniformStaysWithinItsLimit()
    {
        double limit = Math.Sqrt(6.0 / (200 + 100));
        double[] w = Draw(ParameterInit.Xavier);
        Assert.That(w.Max(Math.Abs), Is.LessThanOrEqualTo(limit));
        Assert.That(StandardDeviation(w), Is.EqualTo(limit / Math.Sqrt(3)).Within(3).Percent);
        Assert.That(w.Average(), Is.EqualTo(0).Within(0.01));
    }

    [Test]
    public void HeNormalHasStandardDeviationRootTwoOverFanIn()
        => Assert.That(StandardDeviation(Draw(ParameterInit.He)), Is.EqualTo(Math.Sqrt(2.0 / 200)).Within(3).Percent);

    [Test]
    public void SmallNormalAndUniformAndConstant()
    {
        Assert.That(StandardDeviation(Draw(ParameterInit.Normal(0.01))), Is.EqualTo(0.01).Within(3).Percent);
        Assert.That(Draw(ParameterInit.Uniform(0.05)).Max(Math.Abs), Is.LessThanOrEqualTo(0.05));
        Assert.That(Draw(ParameterInit.Constant(0.1), rows: 1, cols: 8), Is.All.EqualTo(0.1), "ReLU biases at 0.1");
    }

    [Test]
    public void SameSeedSameBitsOtherSeedOtherValues()
    {
        Assert.That(Draw(ParameterInit.He, seed: 5), Is.EqualTo(Draw(ParameterInit.He, seed: 5)));
        Assert.That(Draw(ParameterInit.He, seed: 6), Is.Not.EqualTo(Draw(ParameterInit.He, seed: 5)));
    }
}
