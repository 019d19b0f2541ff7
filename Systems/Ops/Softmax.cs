using EcsNeural.Components;
using EcsNeural.Systems.Kernels;
using EcsNeural.Systems.Symbolic;
using System.Numerics;
using System.Numerics.Tensors;

namespace EcsNeural.Systems.Ops;

/// <summary>Row-wise softmax y_j = e^(z_j − logΣe^z); dz += y ⊙ (dy − ⟨dy, y⟩).</summary>
internal readonly struct Softmax : IOperation
{
    /// <inheritdoc/>
    public static OpDescription Description { get; } = new()
    {
        Op = OpCode.Softmax,
        Arity = 1,
        Shape = static (in Node node, ReadOnlySpan<NodeShape> inputs) => ShapeRules.SameAsInput(inputs),
        Bprop = SoftmaxAndLossBprops.Softmax,
        TwiceDifferentiable = true,
        Rows = RowRule.Independent,
        Onnx = static (onnx, node, x, shapes, y) => onnx.Node("Softmax", y, x, OnnxAttribute.Of("axis", 1L)),
        Sample = static (r, c, k) => new(new Node(OpCode.Softmax), [new(r, c)]),
        Activation = new ActivationUnit(Rectifier: false),
    };

    public static void Forward<T>(in OpContext<T> c) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int cols = c.InputShape(0).Cols;
        Span<T> z = c.Input(0), y = c.Output;
        for (int r = 0; r < y.Length / cols; r++)
        {
            Span<T> zRow = z.Slice(r * cols, cols), yRow = y.Slice(r * cols, cols);
            TensorPrimitives.Subtract<T>(zRow, LogSumExp.Of<T>(zRow), yRow);
            ElementMath.Exp<T>(yRow, yRow);
        }
    }

    public static void Backward<T>(in OpContext<T> c) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int cols = c.InputShape(0).Cols;
        Span<T> y = c.Output, dy = c.OutputGradient, dz = c.InputGradient(0);
        for (int r = 0; r < y.Length / cols; r++)
        {
            Span<T> yRow = y.Slice(r * cols, cols), dyRow = dy.Slice(r * cols, cols), dzRow = dz.Slice(r * cols, cols);
            T dot = FixedOrderSum.Dot<T>(dyRow, yRow);   // as SumCols of the product, in the symbolic bprop
            for (int j = 0; j < cols; j++)
                dzRow[j] += yRow[j] * (dyRow[j] - dot);
        }
    }
}
