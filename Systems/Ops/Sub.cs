using EcsNeural.Components;
using EcsNeural.Systems.Symbolic;
using System.Numerics;
using System.Numerics.Tensors;

namespace EcsNeural.Systems.Ops;

/// <summary>y = a − b, with b broadcast like <see cref="Add"/>; da += dy, db −= dy summed over the broadcast axes.</summary>
internal readonly struct Sub : IOperation
{
    /// <inheritdoc/>
    public static OpDescription Description { get; } = new()
    {
        Op = OpCode.Sub,
        Arity = 2,
        Shape = static (in Node node, ReadOnlySpan<NodeShape> inputs) => ShapeRules.Broadcast(inputs),
        Bprop = BroadcastBprops.Sub,
        TwiceDifferentiable = true,
        Rows = RowRule.BroadcastOperands,
        Onnx = static (onnx, node, x, shapes, y) => onnx.Node("Sub", y, x),
        Sample = static (r, c, k) => new(new Node(OpCode.Sub), [new(r, c), new(r, c)]),
        Activation = null,
    };

    public static void Forward<T>(in OpContext<T> c) where T : unmanaged, IFloatingPointIeee754<T>
        => Broadcast.Forward(c, static (a, b, y) => TensorPrimitives.Subtract<T>(a, b, y), static (a, b, y) => TensorPrimitives.Subtract<T>(a, b, y));

    public static void Backward<T>(in OpContext<T> c) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (c.NeedsGradient(0))
        {
            Span<T> da = c.InputGradient(0);
            TensorPrimitives.Add<T>(da, c.OutputGradient, da);
        }
        if (c.NeedsGradient(1))
            Broadcast.ReduceInto(c, c.OutputGradient, c.InputGradient(1), -T.One);
    }
}
