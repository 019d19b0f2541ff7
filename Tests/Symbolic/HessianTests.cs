using EcsNeural.Ecs;
using EcsNeural.Systems.Symbolic;

namespace EcsNeural.Tests.Symbolic;

/// <summary>Full Hessians and Hessian-vector products of a small MLP's loss, built as graph nodes, in float64.</summary>
public class HessianTests
{
    [TestCase(false, PiecewiseDerivative.Refuse, TestName = "Tanh MLP")]
    [TestCase(true, PiecewiseDerivative.ZeroAlmostEverywhere, TestName = "ReLU MLP, second derivative taken as 0 a.e.")]
    public void HessianOfMlpLossMatchesFiniteDifferencesOfItsGradient(bool relu, PiecewiseDerivative piecewise)
    {
        using var mlp = new SmallMlp(relu);
        Entity[][] rows = SymbolicGradient.Hessian(mlp.Fixture.Builder, mlp.Loss, mlp.Variables, piecewise);
        mlp.NumericGradient();   // one forward pass evaluates the Hessian's nodes too
        double[,] symbolic = mlp.Read(rows);
        if (relu)
            Assert.That(mlp.Fixture.Value(mlp.PreActivation).Min(Math.Abs), Is.GreaterThan(1e-3), "no pre-activation near the kink");

        double[,] numeric = mlp.FiniteDifferenceHessian(1e-5);

        int n = mlp.ParameterCount;
        double scale = Enumerable.Range(0, n * n).Max(i => Math.Abs(numeric[i / n, i % n]));
        for (int r = 0; r < n; r++)
        {
            for (int c = 0; c < n; c++)
            {
                Assert.That(symbolic[r, c], Is.EqualTo(numeric[r, c]).Within(1e-7 * scale), $"H[{r},{c}]");
                Assert.That(symbolic[r, c], Is.EqualTo(symbolic[c, r]).Within(1e-14 * scale), $"H[{r},{c}] = H[{c},{r}]");
            }
        }
    }

    [Test]
    public void HessianVectorProductEqualsFullHessianTimesVector()
    {
        using var mlp = new SmallMlp(relu: false);
        var nn = mlp.Fixture.Builder;
        Entity[] vectors = mlp.Variables.Select(v => nn.Input(mlp.Fixture.Graph.ShapeOf(v).Rows, mlp.Fixture.Graph.ShapeOf(v).Cols)).ToArray();
        Entity[] hvp = SymbolicGradient.HessianVectorProduct(nn, mlp.Loss, mlp.Variables, vectors);
        Entity[][] rows = SymbolicGradient.Hessian(nn, mlp.Loss, mlp.Variables);
        var random = new Random(17);
        foreach (Entity vector in vectors)
            mlp.Fixture.Set(vector, [.. Enumerable.Range(0, mlp.Fixture.Graph.ShapeOf(vector).Length).Select(_ => 2 * random.NextDouble() - 1)]);

        mlp.Fixture.Forward();

        double[,] hessian = mlp.Read(rows);
        double[] v = vectors.SelectMany(e => mlp.Fixture.Value(e)).ToArray();
        double[] product = hvp.SelectMany(e => mlp.Fixture.Value(e)).ToArray();
        int n = mlp.ParameterCount;
        double[] expected = Enumerable.Range(0, n).Select(r => Enumerable.Range(0, n).Sum(c => hessian[r, c] * v[c])).ToArray();
        double scale = expected.Max(Math.Abs);
        Assert.That(product, Is.EqualTo(expected).Within(1e-12 * scale));
    }
}
