using System.Numerics;
using EcsNeural.Components;
using EcsNeural.Systems.Symbolic;

namespace EcsNeural.Systems.Ops;

/// <summary>
/// The two operations radial basis gradients are written in, over the layer's index space b (sample), j (input), u (unit)
/// (see <see cref="RadialBasisOperand"/>). With s = ±1 (<see cref="Node.Scalar"/>) and k the index the result lacks:
/// <list type="bullet">
/// <item><see cref="OpCode.RadialBasisDifference"/>: y = s·Σ_k a·(x_bj − W_ju), inputs a, x [batch×in], W [in×units];
/// da += s·Σ G·(x − W), dx_bj += s·Σ_u G·a, dW_ju += −s·Σ_b G·a.</item>
/// <item><see cref="OpCode.RadialBasisProduct"/>: y = s·Σ_k a·c; da += s·Σ G·c, dc += s·Σ G·a.</item>
/// </list>
/// Forward and backward run one routine, <see cref="Contract"/>: each result element sums one product per term, in
/// ascending order of the summed index, from zero, and only then is added to a gradient. Each derivative above is
/// exactly the contraction the symbolic rule emits for it, so symbolic gradients of these operations (and of
/// <see cref="RadialBasis"/>) equal the numeric ones bit for bit, to any order.
/// </summary>
internal static class RadialBasisContraction
{
    public static NodeShape Shape(in Node node, ReadOnlySpan<NodeShape> inputs)
    {
        RadialBasisIndexing form = RadialBasisIndexing.Unpack(node.Pieces);
        if (!Enum.IsDefined(form.Output) || !Enum.IsDefined(form.First) || !Enum.IsDefined(form.Second))
            throw new InvalidShapeException($"invalid operand code in the attribute {node.Pieces}");
        if (node.Scalar is not (1.0 or -1.0))
            throw new InvalidShapeException($"the sign must be +1 or −1, got {node.Scalar}");
        return RadialBasisExtents.Of(node.Op, form, inputs).ShapeOf(form.Output);
    }

    public static void DifferenceForward<T>(in OpContext<T> c) where T : unmanaged, IFloatingPointIeee754<T>
    {
        RadialBasisIndexing form = RadialBasisIndexing.Unpack(c.Pieces);
        var e = RadialBasisExtents.Of(c, OpCode.RadialBasisDifference);
        for (int i = 0; i < c.Instances; i++)
            Contract(e, form.Output, e.Matrix(Value(c, 0, i), form.First), e.Difference(Value(c, 1, i), Value(c, 2, i)),
                c.OutputAt(i).Span(c.OutputShape.Length), negate: c.Scalar < 0, accumulate: false);
    }

    public static void ProductForward<T>(in OpContext<T> c) where T : unmanaged, IFloatingPointIeee754<T>
    {
        RadialBasisIndexing form = RadialBasisIndexing.Unpack(c.Pieces);
        var e = RadialBasisExtents.Of(c, OpCode.RadialBasisProduct);
        for (int i = 0; i < c.Instances; i++)
            Contract(e, form.Output, e.Matrix(Value(c, 0, i), form.First), e.Matrix(Value(c, 1, i), form.Second),
                c.OutputAt(i).Span(c.OutputShape.Length), negate: c.Scalar < 0, accumulate: false);
    }

    public static void DifferenceBackward<T>(in OpContext<T> c) where T : unmanaged, IFloatingPointIeee754<T>
    {
        RadialBasisIndexing form = RadialBasisIndexing.Unpack(c.Pieces);
        var e = RadialBasisExtents.Of(c, OpCode.RadialBasisDifference);
        bool negate = c.Scalar < 0;
        for (int i = 0; i < c.Instances; i++)
        {
            var g = e.Matrix(c.OutputGradientAt(i).Segment(c.OutputShape.Length), form.Output);
            var a = e.Matrix(Value(c, 0, i), form.First);
            if (c.NeedsGradient(0))
                Contract(e, form.First, g, e.Difference(Value(c, 1, i), Value(c, 2, i)), Gradient(c, 0, i), negate, accumulate: true);
            if (c.NeedsGradient(1))
                Contract(e, RadialBasisOperand.Input, g, a, Gradient(c, 1, i), negate, accumulate: true);
            if (c.NeedsGradient(2))
                Contract(e, RadialBasisOperand.Centres, g, a, Gradient(c, 2, i), !negate, accumulate: true);
        }
    }

    public static void ProductBackward<T>(in OpContext<T> c) where T : unmanaged, IFloatingPointIeee754<T>
    {
        RadialBasisIndexing form = RadialBasisIndexing.Unpack(c.Pieces);
        var e = RadialBasisExtents.Of(c, OpCode.RadialBasisProduct);
        bool negate = c.Scalar < 0;
        for (int i = 0; i < c.Instances; i++)
        {
            var g = e.Matrix(c.OutputGradientAt(i).Segment(c.OutputShape.Length), form.Output);
            if (c.NeedsGradient(0))
                Contract(e, form.First, g, e.Matrix(Value(c, 1, i), form.Second), Gradient(c, 0, i), negate, accumulate: true);
            if (c.NeedsGradient(1))
                Contract(e, form.Second, g, e.Matrix(Value(c, 0, i), form.First), Gradient(c, 1, i), negate, accumulate: true);
        }
    }

    private static ArraySegment<T> Value<T>(in OpContext<T> c, int input, int instance) where T : unmanaged, IFloatingPointIeee754<T>
        => c.InputAt(input, instance).Segment(c.InputShape(input).Length);

    private static Span<T> Gradient<T>(in OpContext<T> c, int input, int instance) where T : unmanaged, IFloatingPointIeee754<T>
        => c.InputGradientAt(input, instance).Span(c.InputShape(input).Length);

    /// <summary>
    /// y = (accumulate ? y : 0) + (±Σ_k a·b), y indexed as <paramref name="output"/> and k the index it lacks: each
    /// element's sum starts at zero and takes one product a·b per k, ascending, before it meets y.
    /// </summary>
    public static void Contract<T, TA, TB>(RadialBasisExtents e, RadialBasisOperand output, TA a, TB b, Span<T> y, bool negate, bool accumulate)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TA : struct, IRadialBasisFactor<T>
        where TB : struct, IRadialBasisFactor<T>
    {
        (int rows, int cols, int summed) = RadialBasisExtents.Axes(output);
        Span<int> extent = [e.Batch, e.In, e.Units];
        Span<int> at = [0, 0, 0];
        int n = extent[cols];
        for (int r = 0; r < extent[rows]; r++)
            for (int col = 0; col < n; col++)
            {
                at[rows] = r;
                at[cols] = col;
                T sum = T.Zero;
                for (int k = 0; k < extent[summed]; k++)
                {
                    at[summed] = k;
                    T term = a.At(at[0], at[1], at[2]) * b.At(at[0], at[1], at[2]);
                    sum = negate ? sum - term : sum + term;
                }
                ref T target = ref y[r * n + col];
                target = accumulate ? target + sum : sum;
            }
    }
}

/// <summary>The difference contraction of a radial basis layer's gradient (see <see cref="RadialBasisContraction"/>).</summary>
internal readonly struct RadialBasisDifference : IOperation
{
    /// <inheritdoc/>
    public static OpDescription Description { get; } = new()
    {
        Op = OpCode.RadialBasisDifference,
        Arity = 3,
        Shape = static (in Node node, ReadOnlySpan<NodeShape> inputs) => RadialBasisContraction.Shape(node, inputs),
        Bprop = LinearAlgebraBprops.RadialBasisDifference,
        TwiceDifferentiable = true,
        Rows = RowRule.Mixes,
        Onnx = null,
        Sample = static (r, c, k) => new(new Node(OpCode.RadialBasisDifference, 1, new RadialBasisIndexing(RadialBasisOperand.Centres, RadialBasisOperand.Units).Pack()), [new(r, k), new(r, c), new(c, k)]),
        Activation = null,
    };

    /// <inheritdoc/>
    public static void Forward<T>(in OpContext<T> c) where T : unmanaged, IFloatingPointIeee754<T> => RadialBasisContraction.DifferenceForward(c);

    /// <inheritdoc/>
    public static void Backward<T>(in OpContext<T> c) where T : unmanaged, IFloatingPointIeee754<T> => RadialBasisContraction.DifferenceBackward(c);
}

/// <summary>The product contraction of a radial basis layer's gradient (see <see cref="RadialBasisContraction"/>).</summary>
internal readonly struct RadialBasisProduct : IOperation
{
    /// <inheritdoc/>
    public static OpDescription Description { get; } = new()
    {
        Op = OpCode.RadialBasisProduct,
        Arity = 2,
        Shape = static (in Node node, ReadOnlySpan<NodeShape> inputs) => RadialBasisContraction.Shape(node, inputs),
        Bprop = LinearAlgebraBprops.RadialBasisProduct,
        TwiceDifferentiable = true,
        Rows = RowRule.Mixes,
        Onnx = null,
        Sample = static (r, c, k) => new(new Node(OpCode.RadialBasisProduct, 1, new RadialBasisIndexing(RadialBasisOperand.Centres, RadialBasisOperand.Units, RadialBasisOperand.Input).Pack()), [new(r, k), new(r, c)]),
        Activation = null,
    };

    /// <inheritdoc/>
    public static void Forward<T>(in OpContext<T> c) where T : unmanaged, IFloatingPointIeee754<T> => RadialBasisContraction.ProductForward(c);

    /// <inheritdoc/>
    public static void Backward<T>(in OpContext<T> c) where T : unmanaged, IFloatingPointIeee754<T> => RadialBasisContraction.ProductBackward(c);
}
