using System.Numerics;
using EcsNeural.Systems.Kernels;
using System.Numerics.Tensors;
using EcsNeural.Components;
using EcsNeural.Systems.Symbolic;

namespace EcsNeural.Systems.Ops;

/// <summary>Sum over the columns, [rows×cols] → [rows×1], each row summed like <see cref="Sum"/>; dx row += dy[row].</summary>
internal readonly struct SumCols : IOperation
{
    /// <inheritdoc/>
    public static OpDescription Description { get; } = new()
    {
        Op = OpCode.SumCols,
        Arity = 1,
        Shape = static (in Node node, ReadOnlySpan<NodeShape> inputs) => SumCols.Shape(inputs),
        Bprop = BroadcastBprops.SumCols,
        TwiceDifferentiable = true,
        Rows = RowRule.Independent,
        Onnx = static (onnx, node, x, shapes, y) => onnx.Node("ReduceSum", y, [x[0], onnx.Int64s(1)], OnnxAttribute.Of("keepdims", 1L)),
        Sample = static (r, c, k) => new(new Node(OpCode.SumCols), [new(r, c)]),
        Activation = null,
    };

    public static NodeShape Shape(ReadOnlySpan<NodeShape> inputs) => new(inputs[0].Rows, 1);

    public static void Forward<T>(in OpContext<T> c) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int cols = c.InputShape(0).Cols;
        FixedOrderSum.SumRows<T>(c.Input(0), cols, c.Output);
    }

    public static void Backward<T>(in OpContext<T> c) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int cols = c.InputShape(0).Cols;
        Span<T> dx = c.InputGradient(0), dy = c.OutputGradient;
        if (cols <= 2)   // short rows: a call per row would cost more than its additions
        {
            for (int i = 0; i < dx.Length; i++)
                dx[i] += dy[i / cols];
            return;
        }
        for (int r = 0; r < dy.Length; r++)
        {
            Span<T> row = dx.Slice(r * cols, cols);
            TensorPrimitives.Add<T>(row, dy[r], row);
        }
    }
}
