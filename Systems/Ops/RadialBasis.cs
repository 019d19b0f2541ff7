using System.Numerics;
using EcsNeural.Systems.Kernels;
using EcsNeural.Components;
using EcsNeural.Systems.Symbolic;

namespace EcsNeural.Systems.Ops;

/// <summary>
/// Gaussian radial basis units h_i = exp(−‖W:,i − x‖²/σ²): x [batch×in], centres W [in×units] (column i is unit i's
/// centre), σ fixed. With g = ∂L/∂(‖·‖²) = −dy·h/σ²: dx_j += Σ_i 2g·(x_j − W_ji), dW_ji −= Σ_batch 2g·(x_j − W_ji).
/// </summary>
internal readonly struct RadialBasis : IOperation
{
    /// <inheritdoc/>
    public static OpDescription Description { get; } = new()
    {
        Op = OpCode.RadialBasis,
        Arity = 2,
        Shape = static (in Node node, ReadOnlySpan<NodeShape> inputs) => RadialBasis.Shape(inputs, node.Scalar),
        Bprop = LinearAlgebraBprops.RadialBasis,
        TwiceDifferentiable = true,
        Rows = RowRule.SamplesOnLeft,
        Onnx = static (onnx, node, x, shapes, y) => RadialBasis.Onnx(onnx, node, x, shapes[0], y),
        Sample = static (r, c, k) => new(new Node(OpCode.RadialBasis, 1.5), [new(r, c), new(c, k)]),
        Activation = null,
    };

    public static NodeShape Shape(ReadOnlySpan<NodeShape> inputs, double sigma)
    {
        if (!(sigma > 0) || !double.IsFinite(sigma))
            throw new InvalidShapeException($"σ must be positive and finite, got {sigma}");
        if (inputs[1].Rows != inputs[0].Cols)
            throw new InvalidShapeException($"centres {inputs[1]} need {inputs[0].Cols} rows to match input {inputs[0]}");
        return new NodeShape(inputs[0].Rows, inputs[1].Cols);
    }

    public static void Forward<T>(in OpContext<T> c) where T : unmanaged, IFloatingPointIeee754<T>
    {
        NodeShape xs = c.InputShape(0), ws = c.InputShape(1), ys = c.OutputShape;
        T invSigma2 = T.One / T.CreateTruncating(c.Scalar * c.Scalar);
        Span<T> x = c.Input(0), w = c.Input(1), y = c.Output;
        for (int i = 0; i < c.Instances; i++)
        {
            Span<T> xi = OpContext<T>.Slice(x, i, xs.Length), wi = OpContext<T>.Slice(w, i, ws.Length), yi = OpContext<T>.Slice(y, i, ys.Length);
            for (int b = 0; b < xs.Rows; b++)
            {
                for (int u = 0; u < ws.Cols; u++)
                {
                    T d2 = T.Zero;
                    for (int j = 0; j < xs.Cols; j++)
                    {
                        T d = wi[j * ws.Cols + u] - xi[b * xs.Cols + j];
                        d2 += d * d;
                    }
                    yi[b * ys.Cols + u] = ElementMath.Exp(-d2 * invSigma2);
                }
            }
        }
    }

    /// <summary>
    /// dx and dW as the two contractions of 2g with x − W that the symbolic rule emits (RadialBasisDifference nodes), so
    /// both differentiations sum the same terms in the same order.
    /// </summary>
    public static void Backward<T>(in OpContext<T> c) where T : unmanaged, IFloatingPointIeee754<T>
    {
        NodeShape xs = c.InputShape(0), ws = c.InputShape(1), ys = c.OutputShape;
        var e = new RadialBasisExtents(xs.Rows, xs.Cols, ws.Cols);
        // The constant rounded once, from double, as the symbolic rule's Scale node rounds it.
        T minusTwoOverSigma2 = T.CreateTruncating(-2.0 / (c.Scalar * c.Scalar));
        for (int i = 0; i < c.Instances; i++)
        {
            var twoG = new Slope<T>(c.OutputGradientAt(i).Segment(ys.Length), c.OutputAt(i).Segment(ys.Length), minusTwoOverSigma2, ws.Cols);
            var difference = e.Difference<T>(c.InputAt(0, i).Segment(xs.Length), c.InputAt(1, i).Segment(ws.Length));
            if (c.NeedsGradient(0))
                RadialBasisContraction.Contract(e, RadialBasisOperand.Input, twoG, difference, c.InputGradientAt(0, i).Span(xs.Length), negate: false, accumulate: true);
            if (c.NeedsGradient(1))
                RadialBasisContraction.Contract(e, RadialBasisOperand.Centres, twoG, difference, c.InputGradientAt(1, i).Span(ws.Length), negate: true, accumulate: true);
        }
    }

    /// <summary>2g_bu = (−2/σ²)·dy_bu·h_bu, where g = ∂L/∂‖W:,u − x_b‖² (a factor indexed b, u).</summary>
    private readonly struct Slope<T>(ArraySegment<T> dy, ArraySegment<T> h, T minusTwoOverSigma2, int units) : IRadialBasisFactor<T>
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        private readonly ArraySegment<T> _dy = dy, _h = h;

        public T At(int b, int j, int u) => minusTwoOverSigma2 * _dy[b * units + u] * _h[b * units + u];
    }

    /// <summary>exp(−Σⱼ (W[j,u] − x[b,j])² / σ²): x reshaped to [batch × in × 1] (any batch) broadcasts against W [in × units].</summary>
    internal static void Onnx(IOnnxGraph onnx, Node node, string[] x, NodeShape input, string y)
    {
        string column = onnx.Node("Reshape", onnx.Fresh("x"), [x[0], onnx.Int64s(-1, input.Cols, 1)]);
        string difference = onnx.Node("Sub", onnx.Fresh("d"), [x[1], column]);
        string squared = onnx.Node("Mul", onnx.Fresh("d2"), [difference, difference]);
        string distance = onnx.Node("ReduceSum", onnx.Fresh("dist"), [squared, onnx.Int64s(1)], OnnxAttribute.Of("keepdims", 0L));
        string scaled = onnx.Node("Mul", onnx.Fresh("z"), [distance, onnx.Scalar(-1.0 / (node.Scalar * node.Scalar))]);
        onnx.Node("Exp", y, [scaled]);
    }
}
