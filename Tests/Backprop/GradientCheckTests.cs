using EcsNeural.Components;
using EcsNeural.Ecs;
using EcsNeural.Systems.Graph;

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

    /// <summary>How an operand's values are drawn, so inputs stay away from kinks and outside domains.</summary>
    public enum Draw { Signed, Positive, AwayFromOne, Small }

    public sealed record Operand(int Rows, int Cols, Draw Draw = Draw.Signed);

    private static IEnumerable<TestCaseData> Cases()
    {
        foreach (int seed in new[] { 11, 22, 33 })
        {
            var random = new Random(seed);
            int r = random.Next(1, 5), c = random.Next(1, 6), k = random.Next(1, 5);
            TestCaseData Case(string name, Func<GraphBuilder, Entity[], Entity> op, params Operand[] operands)
                => new TestCaseData(name, seed, op, operands).SetName($"{name} seed {seed} [{r}×{c}]");

            yield return Case("Dense", (b, e) => b.Dense(e[0], e[1], e[2]), new Operand(r, c), new Operand(c, k), new Operand(1, k));
            yield return Case("MatMul", (b, e) => b.MatMul(e[0], e[1]), new Operand(r, c), new Operand(c, k));
            foreach ((int br, int bc, string how) in new[] { (r, c, "same"), (1, c, "row"), (r, 1, "column"), (1, 1, "scalar") })
            {
                yield return Case($"Add {how}", (b, e) => b.Add(e[0], e[1]), new Operand(r, c), new Operand(br, bc));
                yield return Case($"Sub {how}", (b, e) => b.Sub(e[0], e[1]), new Operand(r, c), new Operand(br, bc));
                yield return Case($"Mul {how}", (b, e) => b.Mul(e[0], e[1]), new Operand(r, c), new Operand(br, bc));
            }
            yield return Case("Scale", (b, e) => b.Scale(e[0], -1.7), new Operand(r, c));
            yield return Case("AddScalar", (b, e) => b.AddScalar(e[0], 0.3), new Operand(r, c));
            yield return Case("Exp", (b, e) => b.Exp(e[0]), new Operand(r, c));
            yield return Case("Log", (b, e) => b.Log(e[0]), new Operand(r, c, Draw.Positive));
            yield return Case("Sin", (b, e) => b.Sin(e[0]), new Operand(r, c));
            yield return Case("Cos", (b, e) => b.Cos(e[0]), new Operand(r, c));
            yield return Case("Square", (b, e) => b.Square(e[0]), new Operand(r, c));
            yield return Case("Sum", (b, e) => b.Sum(e[0]), new Operand(r, c));
            yield return Case("Mean", (b, e) => b.Mean(e[0]), new Operand(r, c));
            yield return Case("Relu", (b, e) => b.Relu(e[0]), new Operand(r, c));
            yield return Case("LeakyRelu", (b, e) => b.LeakyRelu(e[0], 0.05), new Operand(r, c));
            yield return Case("PRelu", (b, e) => b.PRelu(e[0], e[1]), new Operand(r, c), new Operand(1, c, Draw.Small));
            yield return Case("AbsRelu", (b, e) => b.AbsRelu(e[0]), new Operand(r, c));
            yield return Case("Maxout", (b, e) => b.Maxout(e[0], 3), new Operand(r, 3 * c));
            yield return Case("Sigmoid", (b, e) => b.Sigmoid(e[0]), new Operand(r, c));
            yield return Case("Tanh", (b, e) => b.Tanh(e[0]), new Operand(r, c));
            yield return Case("Softplus", (b, e) => b.Softplus(e[0]), new Operand(r, c));
            yield return Case("HardTanh", (b, e) => b.HardTanh(e[0]), new Operand(r, c, Draw.AwayFromOne));
            yield return Case("RadialBasis", (b, e) => b.RadialBasis(e[0], e[1], 1.5), new Operand(r, c), new Operand(c, k));
            yield return Case("Softmax", (b, e) => b.Softmax(e[0]), new Operand(r, c));
            yield return Case("LogSoftmax", (b, e) => b.LogSoftmax(e[0]), new Operand(r, c));
            yield return Case("MseLoss", (b, e) => b.MseLoss(e[0], e[1]), new Operand(r, c), new Operand(r, c));
            yield return Case("SigmoidCrossEntropyLoss", (b, e) => b.SigmoidCrossEntropyLoss(e[0], e[1]), new Operand(r, c), new Operand(r, c, Draw.Positive));
            yield return Case("SoftmaxCrossEntropyLoss", (b, e) => b.SoftmaxCrossEntropyLoss(e[0], e[1]), new Operand(r, c), new Operand(r, c, Draw.Positive));
            yield return Case("NllLoss", (b, e) => b.NllLoss(e[0], e[1]), new Operand(r, c), new Operand(r, c, Draw.Positive));
        }
    }

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
                f.SetInstance(inputs[k], instance, [.. Enumerable.Range(0, operands[k].Rows * operands[k].Cols).Select(_ => Sample(random, operands[k].Draw))]);
            f.SetInstance(weights, instance, [.. Enumerable.Range(0, shape.Length).Select(_ => Sample(random, Draw.Signed))]);
        }

        double error = GradientCheck.MaxRelativeError(f, inputs);

        Assert.That(error, Is.LessThanOrEqualTo(Tolerance), $"{name}: relative error {error:E2}");
    }

    private static double Sample(Random random, Draw draw)
    {
        double magnitude = 0.1 + 1.9 * random.NextDouble();   // |x| ∈ [0.1, 2]: away from the kinks at 0
        double sign = random.Next(2) == 0 ? -1 : 1;
        return draw switch
        {
            Draw.Positive => 0.2 + random.NextDouble(),
            Draw.Small => 0.1 + 0.4 * random.NextDouble(),
            Draw.AwayFromOne => sign * (random.Next(2) == 0 ? 0.1 + 0.7 * random.NextDouble() : 1.2 + random.NextDouble()),
            _ => sign * magnitude,
        };
    }
}
