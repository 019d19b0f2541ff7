using EcsNeural.Systems.Reinforcement;

namespace EcsNeural.Tests.Reinforcement;

/// <summary>The observation statistics merged batch by batch equal the mean and variance of all observations at once.</summary>
public class RunningMomentsTests
{
    [Test]
    public void MergingBatchesGivesTheMeanAndVarianceOfEverything()
    {
        var random = new Random(3);
        var all = new List<float[]>();
        var moments = new RunningMoments(2);
        Assert.That((moments.Mean(0), moments.Variance(1)), Is.EqualTo((0.0, 1.0)), "before any observation: mean 0, variance 1");
        foreach (int batch in new[] { 1, 7, 40, 3 })
        {
            var flat = new float[batch * 2];
            for (int i = 0; i < batch; i++)
            {
                float[] x = [(float)(5 + 2 * random.NextDouble()), (float)(-100 * random.NextDouble())];
                all.Add(x);
                x.CopyTo(flat, i * 2);
            }
            moments.Merge(flat, [.. Enumerable.Range(0, batch)]);
        }
        for (int j = 0; j < 2; j++)
        {
            double mean = all.Average(x => (double)x[j]);
            double variance = all.Average(x => (x[j] - mean) * (x[j] - mean));
            Assert.That(moments.Mean(j), Is.EqualTo(mean).Within(1e-9 * Math.Abs(mean) + 1e-12));
            Assert.That(moments.Variance(j), Is.EqualTo(variance).Within(1e-9 * variance));
        }
        Assert.That(moments.Count, Is.EqualTo(51));
    }

    [Test]
    public void OnlyTheListedRowsAreMerged()
    {
        var moments = new RunningMoments(1);
        moments.Merge([10f, 1000f, 20f, 30f], [0, 2, 3]);

        Assert.That(moments.Mean(0), Is.EqualTo(20));
        Assert.That(moments.Variance(0), Is.EqualTo(200.0 / 3).Within(1e-12));
    }
}
