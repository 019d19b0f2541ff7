using System.Numerics;
using System.Numerics.Tensors;
using EcsNeural.Components;
using EcsNeural.Systems.Kernels;
using EcsNeural.Systems.Symbolic;

namespace EcsNeural.Systems.Ops;

/// <summary>
/// Sum over the rows, [rows×cols] → [1×cols], rows added in order from zero (the order in which the numeric backward
/// passes accumulate a broadcast row's gradient); dx row += dy.
/// </summary>
internal readonly struct SumRows : IOperation
{
    /// <inheritdoc/>
    public static OpDescription Description { get; } = new()
    {
        Op = OpCode.SumRows,
        Arity = 1,
        Shape = static (in Node node, ReadOnlySpan<NodeShape> inputs) => SumRows.Shape(inputs),
        Bprop = BroadcastBprops.SumRows,
        TwiceDifferentiable = true,
        Rows = RowRule.Mixes,
        Onnx = static (onnx, node, x, shapes, y) => onnx.Node("ReduceSum", y, [x[0], onnx.Int64s(0)], OnnxAttribute.Of("keepdims", 1L)),
        Sample = static (r, c, k) => new(new Node(OpCode.SumRows), [new(r, c)]),
        Activation = null,
    };

    public static NodeShape Shape(ReadOnlySpan<NodeShape> inputs) => new(1, inputs[0].Cols);

    public static void Forward<T>(in OpContext<T> c) where T : unmanaged, IFloatingPointIeee754<T>
    {
        NodeShape s = c.InputShape(0);
        Span<T> x = c.Input(0), y = c.Output;
        y.Clear();
        for (int i = 0; i < c.Instances; i++)
        {
            Span<T> xi = OpContext<T>.Slice(x, i, s.Length), yi = OpContext<T>.Slice(y, i, s.Cols);
            RowSums.AddRows<T>(xi, s.Rows, yi);
        }
    }

    public static void Backward<T>(in OpContext<T> c) where T : unmanaged, IFloatingPointIeee754<T>
    {
        NodeShape s = c.InputShape(0);
        Span<T> dx = c.InputGradient(0), dy = c.OutputGradient;
        for (int i = 0; i < c.Instances; i++)
        {
            Span<T> dxi = OpContext<T>.Slice(dx, i, s.Length), dyi = OpContext<T>.Slice(dy, i, s.Cols);
            for (int r = 0; r < s.Rows; r++)
            {
                Span<T> row = dxi.Slice(r * s.Cols, s.Cols);
                TensorPrimitives.Add<T>(row, dyi, row);
            }
        }
    }
}
