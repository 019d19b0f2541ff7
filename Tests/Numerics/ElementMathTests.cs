using EcsNeural.Systems.Kernels;

namespace EcsNeural.Tests.Numerics;

/// <summary>
/// Our own transcendental functions: within a stated ulp bound of double-precision references, exact at the special
/// values, and bit-identical for an element wherever it sits in a span.
/// </summary>
public sealed class ElementMathTests
{
    private delegate void SpanFunction<T>(ReadOnlySpan<T> x, Span<T> y);

    /// <summary>Float results against the double-precision function rounded to float, over a range, in float ulps.</summary>
    [TestCase("exp", -104.0, 89.0, 1)]
    [TestCase("exp", -1.0, 1.0, 1)]
    [TestCase("log", 1e-38, 3e38, 1)]
    [TestCase("log", 0.5, 2.0, 1)]
    [TestCase("sin", -100.0, 100.0, 1)]
    [TestCase("sin", -1e5, 1e5, 1)]
    [TestCase("cos", -100.0, 100.0, 1)]
    [TestCase("cos", -1e5, 1e5, 1)]
    [TestCase("tanh", -10.0, 10.0, 1)]
    [TestCase("tanh", -1.0, 1.0, 1)]
    [TestCase("sigmoid", -100.0, 30.0, 2)]
    [TestCase("softplus", -100.0, 100.0, 3)]
    [TestCase("softplus", -3.0, 3.0, 3)]
    public void FloatResultsAreWithinTheStatedUlpsOfTheDoubleReference(string name, double low, double high, int bound)
    {
        (SpanFunction<float> ours, Func<double, double> reference) = Function<float>(name);
        float[] x = Samples(low, high, 1 << 17, seed: 1).Select(v => (float)v).ToArray();
        float[] y = new float[x.Length];
        ours(x, y);

        (int worst, int at) = (0, 0);
        for (int i = 0; i < x.Length; i++)
        {
            float expected = (float)reference(x[i]);
            int distance = UlpsBetween(y[i], expected);
            if (distance > worst)
                (worst, at) = (distance, i);
        }
        Assert.That(worst, Is.LessThanOrEqualTo(bound), $"{name}({x[at]:R}) = {y[at]:R}, reference {(float)reference(x[at]):R}");
    }

    /// <summary>Double results against the C runtime's double functions (themselves within 1 ulp), in double ulps.</summary>
    [TestCase("exp", -745.0, 709.0, 1)]
    [TestCase("exp", -1.0, 1.0, 1)]
    [TestCase("log", 1e-307, 1e308, 1)]
    [TestCase("log", 0.5, 2.0, 1)]
    [TestCase("sin", -100.0, 100.0, 1)]
    [TestCase("cos", -100.0, 100.0, 1)]
    [TestCase("sin", -1e5, 1e5, 2)]
    [TestCase("cos", -1e5, 1e5, 2)]
    [TestCase("tanh", -20.0, 20.0, 2)]
    [TestCase("tanh", -1.0, 1.0, 2)]
    [TestCase("sigmoid", -700.0, 40.0, 2)]
    [TestCase("softplus", -700.0, 700.0, 3)]
    public void DoubleResultsAreWithinTheStatedUlpsOfTheRuntimeReference(string name, double low, double high, int bound)
    {
        (SpanFunction<double> ours, Func<double, double> reference) = Function<double>(name);
        double[] x = Samples(low, high, 1 << 17, seed: 2);
        double[] y = new double[x.Length];
        ours(x, y);

        (long worst, int at) = (0, 0);
        for (int i = 0; i < x.Length; i++)
        {
            long distance = Symbolic.Ulps.Between(y[i], reference(x[i]));
            if (distance > worst)
                (worst, at) = (distance, i);
        }
        Assert.That(worst, Is.LessThanOrEqualTo(bound), $"{name}({x[at]:R}) = {y[at]:R}, reference {reference(x[at]):R}");
    }

    [TestCase("exp", float.NegativeInfinity, 0f)]
    [TestCase("exp", float.PositiveInfinity, float.PositiveInfinity)]
    [TestCase("exp", 0f, 1f)]
    [TestCase("exp", 89f, float.PositiveInfinity)]
    [TestCase("exp", -110f, 0f)]
    [TestCase("log", 0f, float.NegativeInfinity)]
    [TestCase("log", -0f, float.NegativeInfinity)]
    [TestCase("log", -1f, float.NaN)]
    [TestCase("log", 1f, 0f)]
    [TestCase("log", float.PositiveInfinity, float.PositiveInfinity)]
    [TestCase("sin", float.PositiveInfinity, float.NaN)]
    [TestCase("sin", -0f, -0f)]
    [TestCase("cos", float.NegativeInfinity, float.NaN)]
    [TestCase("cos", 0f, 1f)]
    [TestCase("tanh", float.PositiveInfinity, 1f)]
    [TestCase("tanh", float.NegativeInfinity, -1f)]
    [TestCase("tanh", -0f, -0f)]
    [TestCase("sigmoid", float.PositiveInfinity, 1f)]
    [TestCase("sigmoid", float.NegativeInfinity, 0f)]
    [TestCase("sigmoid", 0f, 0.5f)]
    [TestCase("softplus", float.PositiveInfinity, float.PositiveInfinity)]
    [TestCase("softplus", float.NegativeInfinity, 0f)]
    [TestCase("softplus", 200f, 200f)]
    public void SpecialValuesComeOutExactly(string name, float x, float expected)
    {
        foreach (float input in (float[])[x, float.NaN])
        {
            float[] y = new float[1];
            Function<float>(name).Ours([input], y);
            float want = float.IsNaN(input) ? float.NaN : expected;
            Assert.That(BitConverter.SingleToInt32Bits(y[0]) == BitConverter.SingleToInt32Bits(want) || float.IsNaN(y[0]) && float.IsNaN(want),
                Is.True, $"{name}({input:R}) = {y[0]:R}, expected {want:R}");
        }
    }

    [Test]
    public void SubnormalInputsAndResultsAreHandled()
    {
        float[] y = new float[3];
        ElementMath.Log<float>([1e-40f, float.Epsilon, 1e-45f], y);
        Assert.That(UlpsBetween(y[0], (float)Math.Log(1e-40f)), Is.LessThanOrEqualTo(1));
        Assert.That(UlpsBetween(y[1], (float)Math.Log(float.Epsilon)), Is.LessThanOrEqualTo(1));
        ElementMath.Exp<float>([-100f, -103f, -87.5f], y);
        for (int i = 0; i < 3; i++)
            Assert.That(UlpsBetween(y[i], (float)Math.Exp(new[] { -100.0, -103.0, -87.5 }[i])), Is.LessThanOrEqualTo(1), $"exp subnormal {i}");
    }

    /// <summary>
    /// Each element of a span computed alone, and inside spans of every start and length up to 70 (so at every lane,
    /// in whole vectors and in the padded last one), gives the same bits.
    /// </summary>
    [TestCase("exp")]
    [TestCase("log")]
    [TestCase("sin")]
    [TestCase("cos")]
    [TestCase("tanh")]
    [TestCase("sigmoid")]
    [TestCase("softplus")]
    public void AnElementsResultDoesNotDependOnWhereItSitsInTheSpan(string name)
    {
        AssertPositionIndependent<float>(name, [.. Samples(-30, 30, 70, seed: 3).Select(v => (float)v)], v => BitConverter.SingleToInt32Bits(v));
        AssertPositionIndependent<double>(name, Samples(-30, 30, 70, seed: 4), BitConverter.DoubleToInt64Bits);
    }

    [Test]
    public void OtherElementTypesAreRefusedByName()
    {
        Assert.That(() => ElementMath.Exp<Half>([(Half)1], new Half[1]),
            Throws.TypeOf<NotSupportedException>().With.Message.Contains("Half"));
        Assert.That(() => ElementMath.Exp<float>(new float[3], new float[2]),
            Throws.ArgumentException.With.Message.Contains("3").And.Message.Contains("2"));
    }

    private static void AssertPositionIndependent<T>(string name, T[] values, Func<T, long> bits) where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        SpanFunction<T> f = Function<T>(name).Ours;
        long[] alone = new long[values.Length];
        for (int i = 0; i < values.Length; i++)
        {
            T[] one = new T[1];
            f([values[i]], one);
            alone[i] = bits(one[0]);
        }
        for (int start = 0; start < values.Length; start++)
            for (int length = 1; start + length <= values.Length; length++)
            {
                T[] y = new T[length];
                f(values.AsSpan(start, length), y);
                for (int i = 0; i < length; i++)
                    Assert.That(bits(y[i]), Is.EqualTo(alone[start + i]), $"{name} element {start + i} at position {i} of a {length}-element span");
            }
    }

    private static (SpanFunction<T> Ours, Func<double, double> Reference) Function<T>(string name) where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
        => name switch
        {
            "exp" => (ElementMath.Exp, Math.Exp),
            "log" => (ElementMath.Log, Math.Log),
            "sin" => (ElementMath.Sin, Math.Sin),
            "cos" => (ElementMath.Cos, Math.Cos),
            "tanh" => (ElementMath.Tanh, Math.Tanh),
            "sigmoid" => (ElementMath.Sigmoid, x => x >= 0 ? 1 / (1 + Math.Exp(-x)) : Math.Exp(x) / (1 + Math.Exp(x))),
            "softplus" => (ElementMath.Softplus, x => Math.Max(x, 0) + LogOnePlus(Math.Exp(-Math.Abs(x)))),
            _ => throw new ArgumentException(name),
        };

    /// <summary>Uniform samples over [low, high], and for ranges spanning magnitudes also log-uniform ones, plus the ends.</summary>
    private static double[] Samples(double low, double high, int count, int seed)
    {
        var random = new Random(seed);
        var samples = new double[count];
        bool logUniform = low > 0 && high / low > 1e3;
        for (int i = 0; i < count; i++)
            samples[i] = logUniform ? Math.Exp(Math.Log(low) + (Math.Log(high) - Math.Log(low)) * random.NextDouble())
                : i % 2 == 0 || high - low < 10 ? low + (high - low) * random.NextDouble()
                : Math.Clamp((random.NextDouble() - 0.5) * Math.Pow(10, random.Next(-6, 3)), low, high);
        samples[0] = low;
        samples[^1] = high;
        return samples;
    }

    /// <summary>ln(1 + u) = 2·atanh(u/(2 + u)), without the cancellation of ln(1 + u) at small u.</summary>
    private static double LogOnePlus(double u) => 2 * Math.Atanh(u / (2 + u));

    private static int UlpsBetween(float a, float b)
    {
        if (float.IsNaN(a) || float.IsNaN(b))
            return float.IsNaN(a) && float.IsNaN(b) ? 0 : int.MaxValue;
        return (int)Math.Min(int.MaxValue, Math.Abs((long)Ordered(a) - Ordered(b)));
    }

    private static int Ordered(float x)
    {
        int bits = BitConverter.SingleToInt32Bits(x);
        return bits < 0 ? int.MinValue - bits : bits;
    }
}
