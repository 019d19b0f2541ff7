using EcsNeural.Ecs;
using EcsNeural.Systems.Symbolic;

namespace EcsNeural.Tests.Symbolic;

/// <summary>
/// Every operation's bprop is made of operations with bprops of their own, so every gradient can be differentiated
/// again: the Hessian-vector product ∇(∇z · v) of every operation against central differences of its numeric gradient
/// along v, in float64.
/// </summary>
public class SecondOrderTests
{
    private const double Epsilon = 1e-5;

    private static IEnumerable<TestCaseData> Cases()
        => new[] { 11, 22 }.SelectMany(seed => OpCases.All(seed).Select(op => new TestCaseData(op, seed).SetName($"{op.Name} seed {seed}")));

    [TestCaseSource(nameof(Cases))]
    public void HessianVectorProductMatchesDifferencesOfTheGradient(OpCase op, int seed)
    {
        using var h = new OpHarness(op, seed);
        var g = h.Fixture.Graph;
        Entity[] directions = h.Inputs.Select(v => h.Fixture.Builder.Input(g.ShapeOf(v).Rows, g.ShapeOf(v).Cols)).ToArray();
        Entity[] hvp = SymbolicGradient.HessianVectorProduct(h.Fixture.Builder, h.Z, h.Inputs, directions, PiecewiseDerivative.ZeroAlmostEverywhere);
        for (int i = 0; i < OpHarness.Instances; i++)
            for (int k = 0; k < directions.Length; k++)
                h.Fixture.SetInstance(directions[k], i, [.. Enumerable.Range(0, g.ShapeOf(directions[k]).Length).Select(_ => h.Random.NextDouble() - 0.5)]);

        h.NumericGradients();
        double[][][] symbolic = h.ValuesOf(hvp);
        double[][][] plus = GradientsAt(h, directions, Epsilon);
        double[][][] minus = GradientsAt(h, directions, -Epsilon);

        for (int k = 0; k < hvp.Length; k++)
        {
            for (int i = 0; i < OpHarness.Instances; i++)
            {
                double[] numeric = plus[k][i].Zip(minus[k][i], (p, m) => (p - m) / (2 * Epsilon)).ToArray();
                double difference = Norm(numeric.Zip(symbolic[k][i], (n, s) => n - s));
                double scale = Math.Max(Math.Max(Norm(numeric), Norm(symbolic[k][i])), 1e-8);
                Assert.That(difference / scale, Is.LessThanOrEqualTo(1e-6), $"{op.Name}, input {k}, instance {i}");
            }
        }
    }

    /// <summary>The numeric gradients at inputs + step·direction (inputs restored afterwards).</summary>
    private static double[][][] GradientsAt(OpHarness h, Entity[] directions, double step)
    {
        var g = h.Fixture.Graph;
        double[][][] saved = h.ValuesOf(h.Inputs);
        for (int i = 0; i < OpHarness.Instances; i++)
            for (int k = 0; k < h.Inputs.Length; k++)
            {
                double[] d = h.Fixture.Value(directions[k], i);
                g.SetValues(h.Inputs[k], i, saved[k][i].Zip(d, (x, v) => x + step * v).ToArray());
            }
        double[][][] gradients = h.NumericGradients();
        for (int i = 0; i < OpHarness.Instances; i++)
            for (int k = 0; k < h.Inputs.Length; k++)
                g.SetValues(h.Inputs[k], i, saved[k][i]);
        return gradients;
    }

    private static double Norm(IEnumerable<double> values) => Math.Sqrt(values.Sum(v => v * v));
}
