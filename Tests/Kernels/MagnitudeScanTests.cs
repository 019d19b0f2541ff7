using System.Numerics;
using EcsNeural.Systems.Kernels;

namespace EcsNeural.Tests.Kernels;

/// <summary>The finite scan's largest magnitude against a plain loop, every length around the vector widths, with NaN and ±∞ anywhere.</summary>
public class MagnitudeScanTests
{
    private static T[] Values<T>(int length, Random random) where T : unmanaged, IFloatingPointIeee754<T>
    {
        T[] special = [T.Zero, T.NegativeZero, T.Epsilon, -T.Epsilon, T.CreateTruncating(1e30), T.CreateTruncating(-3e30)];
        return [.. Enumerable.Range(0, length).Select(_ => random.Next(8) == 0
            ? special[random.Next(special.Length)]
            : T.CreateTruncating((random.NextDouble() - 0.5) * Math.Pow(10, random.Next(-20, 20))))];
    }

    private static void Check<T>() where T : unmanaged, IFloatingPointIeee754<T>
    {
        var random = new Random(7);
        for (int length = 0; length <= 130; length++)
        {
            T[] values = Values<T>(length, random);
            T expected = T.Zero;
            foreach (T v in values)
                expected = T.Max(expected, T.Abs(v));
            Assert.That(MagnitudeScan.Max<T>(values), Is.EqualTo(expected), $"length {length}");
            if (length == 0)
                continue;
            int at = random.Next(length);
            values[at] = T.NegativeInfinity;
            Assert.That(MagnitudeScan.Max<T>(values), Is.EqualTo(T.PositiveInfinity), $"−∞ at {at} of {length}");
            values[random.Next(length)] = T.NaN;
            Assert.That(T.IsNaN(MagnitudeScan.Max<T>(values)), Is.True, $"NaN in {length}");
        }
    }

    [Test]
    public void FloatMatchesAPlainLoop() => Check<float>();

    [Test]
    public void DoubleMatchesAPlainLoop() => Check<double>();
}
