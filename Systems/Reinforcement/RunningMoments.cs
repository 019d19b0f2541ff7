namespace EcsNeural.Systems.Reinforcement;

/// <summary>
/// The running mean and variance of each observation feature over every observation seen so far, merged one batch at a
/// time (Chan et al.'s parallel form of Welford's update, in double precision). Batches are merged in the order they come,
/// each summed in a fixed order, so the statistics are the same bits on every run.
/// </summary>
public sealed class RunningMoments
{
    private readonly double[] _mean, _m2, _batchSum, _batchM2;

    /// <summary>Statistics of <paramref name="features"/> features, starting from no observations (mean 0, variance 1).</summary>
    public RunningMoments(int features)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(features, 1);
        _mean = new double[features];
        _m2 = new double[features];
        _batchSum = new double[features];
        _batchM2 = new double[features];
    }

    /// <summary>Observations merged so far.</summary>
    public double Count { get; private set; }

    /// <summary>Features per observation.</summary>
    public int Features => _mean.Length;

    /// <summary>Mean of feature <paramref name="j"/> (0 before any observation).</summary>
    public double Mean(int j) => _mean[j];

    /// <summary>Population variance of feature <paramref name="j"/> (1 before two observations, so nothing is scaled up).</summary>
    public double Variance(int j) => Count >= 2 ? _m2[j] / Count : 1;

    /// <summary>Sets the statistics (a checkpoint's); <paramref name="variance"/> is the population variance.</summary>
    public void Restore(double count, ReadOnlySpan<float> mean, ReadOnlySpan<float> variance)
    {
        if (!(count >= 0) || !double.IsFinite(count))
            throw new ArgumentOutOfRangeException(nameof(count), count, "The observation count must be a finite number ≥ 0.");
        Count = count;
        for (int j = 0; j < Features; j++)
        {
            _mean[j] = mean[j];
            _m2[j] = count >= 2 ? variance[j] * count : 0;
        }
    }

    /// <summary>
    /// Merges the rows of <paramref name="observations"/> (row r at r·<see cref="Features"/>) that <paramref name="rows"/>
    /// lists, in that order.
    /// </summary>
    public void Merge(ReadOnlySpan<float> observations, ReadOnlySpan<int> rows)
    {
        if (rows.IsEmpty)
            return;
        int n = Features;
        Array.Clear(_batchSum);
        Array.Clear(_batchM2);
        foreach (int r in rows)
        {
            ReadOnlySpan<float> x = observations.Slice(r * n, n);
            for (int j = 0; j < n; j++)
                _batchSum[j] += x[j];
        }
        double batchCount = rows.Length;
        foreach (int r in rows)
        {
            ReadOnlySpan<float> x = observations.Slice(r * n, n);
            for (int j = 0; j < n; j++)
            {
                double d = x[j] - _batchSum[j] / batchCount;
                _batchM2[j] += d * d;
            }
        }
        double total = Count + batchCount;
        for (int j = 0; j < n; j++)
        {
            double batchMean = _batchSum[j] / batchCount, delta = batchMean - _mean[j];
            _mean[j] += delta * batchCount / total;
            _m2[j] += _batchM2[j] + delta * delta * Count * batchCount / total;
        }
        Count = total;
    }
}
