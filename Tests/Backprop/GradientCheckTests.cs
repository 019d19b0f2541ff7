using EcsNeural.Components;
using EcsNeural.Ecs;
using EcsNeural.Systems.Graph;
using EcsNeural.Tests.Symbolic;

namespace EcsNeural.Tests.Backprop;

/// <summary>
/// Every operation and loss against central finite differences in float64, on several random shapes, with two instances
/// (so the instance dimension is exercised too). The checked scalar is Σ(op ⊙ R) for a fixed random R, which weighs every
/// output element differently and so tests the whole Jacobian.
/// </summary>
public class GradientCheckTests
{
    private const double Tolerance = 1e-6;
    private const int Instances = 2;

    /// <summary>
    /// Every op's sample from the registry and the variants (<see cref="OpCases"/>), with sides of 1 too: the lecture's
    /// ops and the ones symbolic gradients are written with (masks, selectors and constants: a zero derivative, as finite
    /// differences away from the jumps also find).
    /// </summary>
    private static IEnumerable<TestCaseData> Cases()
        => new[] { 11, 22, 33 }.SelectMany(seed =>
        {
            (int r, int c, _) = OpCases.Sides(seed, smallestSide: 1);
            return OpCases.All(seed, smallestSide: 1)
                .Select(op => new TestCaseData(op.Name, seed, op.Make, op.Operands).SetName($"{op.Name} seed {seed} [{r}×{c}]"));
        });

    private static IEnumerable<TestCaseData> LargerCases()
    {
        TestCaseData Case(string name, Func<GraphBuilder, Entity[], Entity> op, params Operand[] operands)
            => new TestCaseData(name, 5, op, operands).SetName(name);
        // Batches of 16 and more take the GEMM path of Dense instead of the population kernels.
        yield return Case("Dense big batch [20×3]", (b, e) => b.Dense(e[0], e[1], e[2]), new Operand(20, 3), new Operand(3, 2), new Operand(1, 2));
        // x and W feed two nodes each, so the second writer must add to the first one's gradient.
        yield return Case("Dense shared operands small batch", (b, e) => b.Add(b.Dense(e[0], e[1], e[2]), b.MatMul(e[0], e[1])),
            new Operand(3, 4), new Operand(4, 2), new Operand(1, 2));
        yield return Case("Dense shared operands big batch", (b, e) => b.Add(b.Dense(e[0], e[1], e[2]), b.MatMul(e[0], e[1])),
            new Operand(17, 4), new Operand(4, 2), new Operand(1, 2));
        // Shared weights, separate biases: the second layer adds to dW but must overwrite its own db.
        yield return Case("Dense sharing weights with separate biases", (b, e) => b.Add(b.Dense(e[0], e[1], e[2]), b.Dense(b.Sin(e[0]), e[1], e[3])),
            new Operand(2, 3), new Operand(3, 2), new Operand(1, 2), new Operand(1, 2));
        yield return Case("Dense feeding two Dense layers", (b, e) => b.Mul(b.Dense(e[0], e[1], e[2]), b.Dense(e[0], e[1], e[2])),
            new Operand(2, 3), new Operand(3, 3), new Operand(1, 3));
    }

    [TestCaseSource(nameof(LargerCases))]
    [TestCaseSource(nameof(Cases))]
    public void BackwardMatchesCentralDifferences(string name, int seed, Func<GraphBuilder, Entity[], Entity> op, Operand[] operands)
    {
        using var f = new EngineFixture<double>(Instances);
        var random = new Random(seed * 7919 + name.Length);
        Entity[] inputs = operands.Select(o => f.Builder.Input(o.Rows, o.Cols)).ToArray();
        Entity output = op(f.Builder, inputs);
        NodeShape shape = f.Graph.ShapeOf(output);
        Entity weights = f.Builder.Input(shape.Rows, shape.Cols);
        f.Graph.Loss = f.Builder.Sum(f.Builder.Mul(output, weights));
        for (int instance = 0; instance < Instances; instance++)
        {
            for (int k = 0; k < inputs.Length; k++)
                f.SetInstance(inputs[k], instance, OpCases.Values(random, operands[k]));
            f.SetInstance(weights, instance, OpCases.Values(random, new Operand(shape.Rows, shape.Cols)));
        }

        double error = GradientCheck.MaxRelativeError(f, inputs);

        Assert.That(error, Is.LessThanOrEqualTo(Tolerance), $"{name}: relative error {error:E2}");
    }
}
