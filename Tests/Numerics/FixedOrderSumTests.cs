using EcsNeural.Systems.Kernels;

namespace EcsNeural.Tests.Numerics;

/// <summary>Sums whose rounding is fixed by the length: checked against the documented order, written out in scalars.</summary>
public sealed class FixedOrderSumTests
{
    [TestCase(0)]
    [TestCase(1)]
    [TestCase(5)]
    [TestCase(16)]
    [TestCase(17)]
    [TestCase(100)]
    [TestCase(1000)]
    public void FloatSumsAddLaneIModSixteenThenHalveTheLanes(int length)
    {
        float[] x = Values(length, seed: length);
        float expected = Reference(x.Select(v => (double)v).ToArray(), lanes: 16, v => (float)v);
        Assert.That(BitConverter.SingleToInt32Bits(FixedOrderSum.Sum<float>(x)), Is.EqualTo(BitConverter.SingleToInt32Bits(expected)));
        float[] y = Values(length, seed: length + 1);
        float expectedDot = Reference(x.Zip(y, (a, b) => (double)(a * b)).ToArray(), lanes: 16, v => (float)v);
        Assert.That(BitConverter.SingleToInt32Bits(FixedOrderSum.Dot<float>(x, y)), Is.EqualTo(BitConverter.SingleToInt32Bits(expectedDot)));
    }

    [TestCase(3)]
    [TestCase(8)]
    [TestCase(77)]
    public void DoubleSumsAddLaneIModEightThenHalveTheLanes(int length)
    {
        double[] x = [.. Values(length, seed: length).Select(v => v * 1.000000001)];
        double expected = Reference(x, lanes: 8, v => v);
        Assert.That(BitConverter.DoubleToInt64Bits(FixedOrderSum.Sum<double>(x)), Is.EqualTo(BitConverter.DoubleToInt64Bits(expected)));
    }

    [Test]
    public void ASumOfNegativeZerosIsNegativeZeroAndEmptyDotIsZero()
    {
        Assert.That(BitConverter.SingleToInt32Bits(FixedOrderSum.Sum<float>([-0f, -0f, -0f])), Is.EqualTo(BitConverter.SingleToInt32Bits(-0f)));
        Assert.That(FixedOrderSum.Dot<float>([], []), Is.Zero);
        Assert.That(() => FixedOrderSum.Dot<float>(new float[2], new float[3]), Throws.ArgumentException.With.Message.Contains("2").And.Message.Contains("3"));
    }

    /// <summary>
    /// The documented order in scalars: partial l sums elements l, l + L, l + 2L, … from −0 in index order (rounded to the
    /// element type after each addition), then lanes l and l + L/2 are added until one is left.
    /// </summary>
    private static T Reference<T>(double[] terms, int lanes, Func<double, T> round) where T : System.Numerics.IFloatingPointIeee754<T>
    {
        var partial = Enumerable.Repeat(T.NegativeZero, lanes).ToArray();
        for (int i = 0; i < terms.Length; i++)
            partial[i % lanes] += round(terms[i]);
        for (int width = lanes / 2; width >= 1; width /= 2)
            for (int l = 0; l < width; l++)
                partial[l] += partial[l + width];
        return partial[0];
    }

    private static float[] Values(int length, int seed)
    {
        var random = new Random(seed);
        return [.. Enumerable.Range(0, length).Select(_ => (float)((random.NextDouble() - 0.5) * Math.Pow(10, random.Next(-3, 4))))];
    }
}
