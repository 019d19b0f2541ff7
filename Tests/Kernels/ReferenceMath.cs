namespace EcsNeural.Tests.Kernels;

/// <summary>Naive float64 triple loops the kernels are checked against, plus the error bound used.</summary>
internal static class ReferenceMath
{
    /// <summary>Reference product in float64; also returns Σ|a·b| per element for the rounding-error bound.</summary>
    public static (double[] Value, double[] AbsSum) Multiply<T>(T[] a, bool transposeA, T[] b, bool transposeB,
        T[]? cInitial, int m, int n, int k) where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        var value = new double[m * n];
        var absSum = new double[m * n];
        for (int i = 0; i < m; i++)
            for (int j = 0; j < n; j++)
            {
                double sum = cInitial is null ? 0 : double.CreateChecked(cInitial[i * n + j]);
                double abs = Math.Abs(sum);
                for (int p = 0; p < k; p++)
                {
                    double av = double.CreateChecked(transposeA ? a[p * m + i] : a[i * k + p]);
                    double bv = double.CreateChecked(transposeB ? b[j * k + p] : b[p * n + j]);
                    sum += av * bv;
                    abs += Math.Abs(av * bv);
                }
                value[i * n + j] = sum;
                absSum[i * n + j] = abs;
            }
        return (value, absSum);
    }

    /// <summary>
    /// Asserts |actual − expected| ≤ (terms + 2)·ε_T·Σ|terms|, the classic a-priori bound for a sum of
    /// products in precision T, whatever the summation order.
    /// </summary>
    public static void AssertClose<T>(ReadOnlySpan<T> actual, double[] expected, double[] absSum, int terms, string what)
        where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        Assert.That(actual.Length, Is.EqualTo(expected.Length), $"{what}: length");
        double eps = double.CreateChecked(Epsilon<T>());
        for (int i = 0; i < expected.Length; i++)
        {
            double got = double.CreateChecked(actual[i]);
            double tolerance = (terms + 2) * eps * absSum[i] + 1e-30;
            if (Math.Abs(got - expected[i]) > tolerance)
                Assert.Fail($"{what}: element {i} is {got}, expected {expected[i]} (tolerance {tolerance:E2}).");
        }
    }

    /// <summary>Machine epsilon (unit roundoff × 2) of T.</summary>
    public static T Epsilon<T>() where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
        => T.BitIncrement(T.One) - T.One;

    public static T[] Random<T>(Random rng, int length) where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        var data = new T[length];
        for (int i = 0; i < length; i++)
            data[i] = T.CreateChecked(rng.NextDouble() * 2 - 1);
        return data;
    }
}
