using EcsNeural.Components;
using EcsNeural.Ecs;
using EcsNeural.Systems.Graph;
using EcsNeural.Systems.Kernels;
using EcsNeural.Systems.Ops;

namespace EcsNeural.Tests.Symbolic;

/// <summary>One operand of an op case: its shape and how its values are drawn.</summary>
public sealed record Operand(int Rows, int Cols, SampleDraw Draw = SampleDraw.Signed);

/// <summary>One operation applied to fresh input nodes.</summary>
/// <param name="Name">The operation (and, for a variant, the kernel path or broadcast form).</param>
/// <param name="Make">Builds the operation's node from the operand nodes.</param>
/// <param name="Operands">The operands.</param>
public sealed record OpCase(string Name, Func<GraphBuilder, Entity[], Entity> Make, Operand[] Operands)
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

    /// <summary>
    /// All cases for the shape drawn from <paramref name="seed"/> (see <see cref="Sides"/>): every op's own sample, read from
    /// the registry (so a new op is covered by declaring it), then the variants that reach other kernel paths and forms.
    /// </summary>
    public static IEnumerable<OpCase> All(int seed, int smallestSide = 2)
    {
        (int r, int c, int k) = Sides(seed, smallestSide);
        foreach (OpDescription description in Operations.All)
        {
            if (description.Sample is not { } sampler)
                continue;   // the leaves
            OpSample sample = sampler(r, c, k);
            yield return new(description.Op.ToString(), (b, e) => b.Op(sample.Node, e),
                [.. sample.Operands.Select(o => new Operand(o.Rows, o.Cols, o.Draw))]);
        }
        foreach (OpCase variant in Variants(r, c, k))
            yield return variant;
    }

    /// <summary>Other kernel paths and forms of some ops, beyond their samples.</summary>
    private static IEnumerable<OpCase> Variants(int r, int c, int k)
    {
        OpCase Case(string name, Func<GraphBuilder, Entity[], Entity> op, params Operand[] operands) => new(name, op, operands);

        // Dense's other kernel paths: batches whose backward runs as GEMMs in the population kernel (8–15 samples) and
        // in Dense's own parallel GEMMs (16 and more), and outputs a whole number of Vector512s wide.
        yield return Case("Dense batched", (b, e) => b.Dense(e[0], e[1], e[2]), new Operand(DenseKernels.GemmBatch + r, c), new Operand(c, k), new Operand(1, k));
        yield return Case("Dense large batch", (b, e) => b.Dense(e[0], e[1], e[2]), new Operand(16 + r, c), new Operand(c, k), new Operand(1, k));
        yield return Case("Dense wide", (b, e) => b.Dense(e[0], e[1], e[2]), new Operand(r, c), new Operand(c, 16), new Operand(1, 16));
        foreach ((int br, int bc, string how) in new[] { (1, c, "row"), (r, 1, "column"), (1, 1, "scalar") })
        {
            yield return Case($"Add {how}", (b, e) => b.Add(e[0], e[1]), new Operand(r, c), new Operand(br, bc));
            yield return Case($"Sub {how}", (b, e) => b.Sub(e[0], e[1]), new Operand(r, c), new Operand(br, bc));
            yield return Case($"Mul {how}", (b, e) => b.Mul(e[0], e[1]), new Operand(r, c), new Operand(br, bc));
        }
        yield return Case("DenseInputGradient batched", (b, e) => b.DenseInputGradient(e[0], e[1]), new Operand(DenseKernels.GemmBatch + r, c), new Operand(k, c));
        yield return Case("DenseWeightGradient batched", (b, e) => b.DenseWeightGradient(e[0], e[1]), new Operand(DenseKernels.GemmBatch + r, c), new Operand(DenseKernels.GemmBatch + r, k));
        foreach (OpCase contraction in RadialBasisContractions(r, c, k))
            yield return contraction;
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
                    [extents[first], extents[RadialBasisOperand.Input], extents[RadialBasisOperand.Centres]]);
                foreach (RadialBasisOperand second in operands)
                {
                    int missing = first == second ? Missing(first) : 0;
                    yield return new($"RadialBasisProduct {first}·{second}→{output}{(negate ? " negated" : "")}",
                        (b, e) => b.RadialBasisProduct(e[0], first, e[1], second, output, negate, missing),
                        [extents[first], extents[second]]);
                }
            }
    }

    /// <summary>A value drawn the way <paramref name="draw"/> says; |x| ∈ [0.1, 2] keeps signed draws away from kinks.</summary>
    public static double Sample(Random random, SampleDraw draw)
    {
        double magnitude = 0.1 + 1.9 * random.NextDouble();
        double sign = random.Next(2) == 0 ? -1 : 1;
        return draw switch
        {
            SampleDraw.Positive => 0.2 + random.NextDouble(),
            SampleDraw.Small => 0.1 + 0.4 * random.NextDouble(),
            SampleDraw.AwayFromOne => sign * (random.Next(2) == 0 ? 0.1 + 0.7 * random.NextDouble() : 1.2 + random.NextDouble()),
            _ => sign * magnitude,
        };
    }

    /// <summary>Values for one operand of one instance.</summary>
    public static double[] Values(Random random, Operand operand)
    {
        var values = new double[operand.Rows * operand.Cols];
        if (operand.Draw == SampleDraw.OneHotRows)
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
