using EcsNeural.Ecs;
using EcsNeural.Systems.Symbolic;
using EcsNeural.Tests.Backprop;

namespace EcsNeural.Tests.Symbolic;

/// <summary>Second derivatives of scalar functions, built as graph nodes, against their closed forms in float64.</summary>
public class ClosedFormTests
{
    private static readonly double[] Points = [-1.7, -0.9, -0.3, 0.05, 0.4, 1.1, 1.6, 2.2];

    [Test]
    public void SecondDerivativeOfExpSinSquareMatchesClosedForm()
    {
        // f(x) = exp(sin(x²)); f' = 2x·cos(x²)·f; f'' = f·((2x·cos x²)² + 2·cos x² − 4x²·sin x²).
        using var f = new EngineFixture<double>();
        Entity x = f.Builder.Input(Points.Length, 1);
        Entity z = f.Builder.Sum(f.Builder.Exp(f.Builder.Sin(f.Builder.Square(x))));   // Σ f(x_i): its gradient is f'(x_i) elementwise
        Entity first = SymbolicGradient.Build(f.Builder, z, [x])[0];
        Entity second = SymbolicGradient.Build(f.Builder, f.Builder.Sum(first), [x])[0];   // f''(x_i): the sum is separable
        f.Set(x, Points);

        f.Forward();

        double[] expectedFirst = Points.Select(p => 2 * p * Math.Cos(p * p) * Math.Exp(Math.Sin(p * p))).ToArray();
        double[] expectedSecond = Points.Select(p =>
        {
            double c = Math.Cos(p * p), s = Math.Sin(p * p);
            return Math.Exp(s) * (Math.Pow(2 * p * c, 2) + 2 * c - 4 * p * p * s);
        }).ToArray();
        Assert.That(f.Value(first), Is.EqualTo(expectedFirst).Within(1e-13));
        Assert.That(f.Value(second), Is.EqualTo(expectedSecond).Within(1e-12));
    }

    [Test]
    public void ThirdDerivativeOfTanhMatchesClosedForm()
    {
        // Gradients of gradients of gradients: tanh''' = −2(1 − t²)(1 − 3t²).
        using var f = new EngineFixture<double>();
        Entity x = f.Builder.Input(Points.Length, 1);
        Entity d1 = SymbolicGradient.Build(f.Builder, f.Builder.Sum(f.Builder.Tanh(x)), [x])[0];
        Entity d2 = SymbolicGradient.Build(f.Builder, f.Builder.Sum(d1), [x])[0];
        Entity d3 = SymbolicGradient.Build(f.Builder, f.Builder.Sum(d2), [x])[0];
        f.Set(x, Points);

        f.Forward();

        double[] expected = Points.Select(p => { double t = Math.Tanh(p); return -2 * (1 - t * t) * (1 - 3 * t * t); }).ToArray();
        Assert.That(f.Value(d3), Is.EqualTo(expected).Within(1e-12));
    }

    [Test]
    public void MixedSecondDerivativeOfAProductOfTwoVariables()
    {
        // z = Σ sin(a)·b² → ∂²z/∂a∂b = 2b·cos(a), read as the HVP with v = (0, 1).
        using var f = new EngineFixture<double>();
        Entity a = f.Builder.Input(1, 3), b = f.Builder.Input(1, 3), va = f.Builder.Input(1, 3), vb = f.Builder.Input(1, 3);
        Entity z = f.Builder.Sum(f.Builder.Mul(f.Builder.Sin(a), f.Builder.Square(b)));
        Entity[] hv = SymbolicGradient.HessianVectorProduct(f.Builder, z, [a, b], [va, vb]);
        f.Set(a, 0.3, -1.2, 2.0);
        f.Set(b, 1.5, 0.7, -0.4);
        f.Set(va, 0, 0, 0);
        f.Set(vb, 1, 1, 1);

        f.Forward();

        Assert.That(f.Value(hv[0]), Is.EqualTo(new[] { 2 * 1.5 * Math.Cos(0.3), 2 * 0.7 * Math.Cos(-1.2), 2 * -0.4 * Math.Cos(2.0) }).Within(1e-14));
        Assert.That(f.Value(hv[1]), Is.EqualTo(new[] { 2 * Math.Sin(0.3), 2 * Math.Sin(-1.2), 2 * Math.Sin(2.0) }).Within(1e-14));
    }
}
