using EcsNeural.Components;
using EcsNeural.Ecs;
using EcsNeural.Systems.Graph;
using EcsNeural.Systems.Kernels;

namespace EcsNeural.Tests.Symbolic;

/// <summary>How an operand's values are drawn, so inputs stay away from kinks and outside domains.</summary>
public enum Draw { Signed, Positive, AwayFromOne, Small, OneHotRows }

/// <summary>One operand of an op case: its shape and how its values are drawn.</summary>
public sealed record Operand(int Rows, int Cols, Draw Draw = Draw.Signed);

/// <summary>One operation applied to fresh input nodes.</summary>
/// <param name="Name">The operation (and broadcast form).</param>
/// <param name="Make">Builds the operation's node from the operand nodes.</param>
/// <param name="Operands">The operands.</param>
/// <param name="Helper">True for the operations added to write symbolic gradients with, false for the lecture's own.</param>
public sealed record OpCase(string Name, Func<GraphBuilder, Entity[], Entity> Make, Operand[] Operands, bool Helper = false)
{
    public override string ToString() => Name;
}

/// <summary>Every operation of the graph — the lecture's and the ones symbolic gradients are written with — on random shapes.</summary>
internal static class OpCases
{
    /// <summary>
    /// The sides drawn from <paramref name="seed"/>: rows r ∈ [smallestSide, 4], columns c ∈ [smallestSide, 5], inner k ∈ [1, 4].
    /// The symbolic tests keep r, c ≥ 2; the gradient check also wants sides of 1.
    /// </summary>
    public static (int R, int C, int K) Sides(int seed, int smallestSide = 2)
    {
        var random = new Random(seed);
        return (random.Next(smallestSide, 5), random.Next(smallestSide, 6), random.Next(1, 5));
    }

    /// <summary>All cases for the shape drawn from <paramref name="seed"/> (see <see cref="Sides"/>).</summary>
    public static IEnumerable<OpCase> All(int seed, int smallestSide = 2)
    {
        (int r, int c, int k) = Sides(seed, smallestSide);
        OpCase Case(string name, Func<GraphBuilder, Entity[], Entity> op, params Operand[] operands) => new(name, op, operands);
        OpCase HelperCase(string name, Func<GraphBuilder, Entity[], Entity> op, params Operand[] operands) => new(name, op, operands, Helper: true);

        yield return Case("Dense", (b, e) => b.Dense(e[0], e[1], e[2]), new Operand(r, c), new Operand(c, k), new Operand(1, k));
        // Dense's other kernel paths: batches whose backward runs as GEMMs in the population kernel (8–15 samples) and
        // in Dense's own parallel GEMMs (16 and more), and outputs a whole number of Vector512s wide.
        yield return Case("Dense batched", (b, e) => b.Dense(e[0], e[1], e[2]), new Operand(DenseKernels.GemmBatch + r, c), new Operand(c, k), new Operand(1, k));
        yield return Case("Dense large batch", (b, e) => b.Dense(e[0], e[1], e[2]), new Operand(16 + r, c), new Operand(c, k), new Operand(1, k));
        yield return Case("Dense wide", (b, e) => b.Dense(e[0], e[1], e[2]), new Operand(r, c), new Operand(c, 16), new Operand(1, 16));
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
        yield return Case("NllLoss", (b, e) => b.NllLoss(e[0], e[1]), new Operand(r, c), new Operand(r, c, Draw.OneHotRows));
        // The operations symbolic gradients are written with.
        yield return HelperCase("Div", (b, e) => b.Div(e[0], e[1]), new Operand(r, c), new Operand(r, c, Draw.Positive));
        yield return HelperCase("Dot", (b, e) => b.Dot(e[0], e[1]), new Operand(r, c), new Operand(r, c));
        yield return HelperCase("DivScalar", (b, e) => b.DivScalar(e[0], 3), new Operand(r, c));
        yield return HelperCase("SumRows", (b, e) => b.SumRows(e[0]), new Operand(r, c));
        yield return HelperCase("SumCols", (b, e) => b.SumCols(e[0]), new Operand(r, c));
        yield return HelperCase("RepeatRows", (b, e) => b.RepeatRows(e[0], r), new Operand(1, c));
        yield return HelperCase("RepeatCols", (b, e) => b.RepeatCols(e[0], c), new Operand(r, 1));
        yield return HelperCase("MatMulTransposeA", (b, e) => b.MatMulTransposeA(e[0], e[1]), new Operand(r, c), new Operand(r, k));
        yield return HelperCase("MatMulTransposeB", (b, e) => b.MatMulTransposeB(e[0], e[1]), new Operand(r, c), new Operand(k, c));
        yield return HelperCase("DenseWeightGradient", (b, e) => b.DenseWeightGradient(e[0], e[1]), new Operand(r, c), new Operand(r, k));
        yield return HelperCase("DenseInputGradient", (b, e) => b.DenseInputGradient(e[0], e[1]), new Operand(r, c), new Operand(k, c));
        yield return HelperCase("DenseInputGradient batched", (b, e) => b.DenseInputGradient(e[0], e[1]), new Operand(DenseKernels.GemmBatch + r, c), new Operand(k, c));
        yield return HelperCase("DenseWeightGradient batched", (b, e) => b.DenseWeightGradient(e[0], e[1]), new Operand(DenseKernels.GemmBatch + r, c), new Operand(DenseKernels.GemmBatch + r, k));
        foreach (OpCase contraction in RadialBasisContractions(r, c, k))
            yield return contraction;
        yield return HelperCase("Step", (b, e) => b.Step(e[0], 0.2), new Operand(r, c));
        yield return HelperCase("Sign", (b, e) => b.Sign(e[0]), new Operand(r, c));
        yield return HelperCase("MaxoutScatter", (b, e) => b.MaxoutScatter(e[0], e[1], 3), new Operand(r, c), new Operand(r, 3 * c));
        yield return HelperCase("MaxoutGather", (b, e) => b.MaxoutGather(e[0], e[1], 3), new Operand(r, 3 * c), new Operand(r, 3 * c));
        yield return HelperCase("Fill", (b, e) => b.Fill(e[0], 0.7), new Operand(r, c));
        yield return HelperCase("OneHot", (b, e) => b.OneHot(e[0], r * c - 1), new Operand(r, c));
    }

    /// <summary>
    /// Every form of the radial basis contractions on b = r samples, j = c inputs, u = k units: the difference with each
    /// factor and result operand, and the product with each pair of factor operands and each result (a factor pair that
    /// shares an operand is told the extent of the index neither has).
    /// </summary>
    private static IEnumerable<OpCase> RadialBasisContractions(int r, int c, int k)
    {
        RadialBasisOperand[] operands = Enum.GetValues<RadialBasisOperand>();
        var extents = new Dictionary<RadialBasisOperand, Operand>
        {
            [RadialBasisOperand.Input] = new(r, c), [RadialBasisOperand.Centres] = new(c, k), [RadialBasisOperand.Units] = new(r, k),
        };
        int Missing(RadialBasisOperand o) => o switch { RadialBasisOperand.Input => k, RadialBasisOperand.Centres => r, _ => c };
        foreach (RadialBasisOperand output in operands)
            foreach (RadialBasisOperand first in operands)
            {
                bool negate = output == first;
                yield return new($"RadialBasisDifference {first}→{output}{(negate ? " negated" : "")}",
                    (b, e) => b.RadialBasisDifference(e[0], first, e[1], e[2], output, negate),
                    [extents[first], extents[RadialBasisOperand.Input], extents[RadialBasisOperand.Centres]], Helper: true);
                foreach (RadialBasisOperand second in operands)
                {
                    int missing = first == second ? Missing(first) : 0;
                    yield return new($"RadialBasisProduct {first}·{second}→{output}{(negate ? " negated" : "")}",
                        (b, e) => b.RadialBasisProduct(e[0], first, e[1], second, output, negate, missing),
                        [extents[first], extents[second]], Helper: true);
                }
            }
    }

    /// <summary>A value drawn the way <paramref name="draw"/> says; |x| ∈ [0.1, 2] keeps signed draws away from kinks.</summary>
    public static double Sample(Random random, Draw draw)
    {
        double magnitude = 0.1 + 1.9 * random.NextDouble();
        double sign = random.Next(2) == 0 ? -1 : 1;
        return draw switch
        {
            Draw.Positive => 0.2 + random.NextDouble(),
            Draw.Small => 0.1 + 0.4 * random.NextDouble(),
            Draw.AwayFromOne => sign * (random.Next(2) == 0 ? 0.1 + 0.7 * random.NextDouble() : 1.2 + random.NextDouble()),
            _ => sign * magnitude,
        };
    }

    /// <summary>Values for one operand of one instance.</summary>
    public static double[] Values(Random random, Operand operand)
    {
        var values = new double[operand.Rows * operand.Cols];
        if (operand.Draw == Draw.OneHotRows)
        {
            for (int row = 0; row < operand.Rows; row++)
                values[row * operand.Cols + random.Next(operand.Cols)] = 1;
            return values;
        }
        for (int j = 0; j < values.Length; j++)
            values[j] = Sample(random, operand.Draw);
        return values;
    }
}
