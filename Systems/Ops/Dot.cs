using System.Numerics;
using EcsNeural.Systems.Kernels;
using System.Numerics.Tensors;
using EcsNeural.Components;
using EcsNeural.Systems.Symbolic;

namespace EcsNeural.Systems.Ops;

/// <summary>
/// Inner product y = Σ a ⊙ b over all elements of an instance, a [1×1] result; da += dy·b, db += dy·a. One node where
/// Sum(Mul(a, b)) needs two, and its gradient broadcasts the scalar dy instead of materialising it in a's shape — the
/// ∇f · v of a Hessian-vector product costs no tensor the size of the parameters.
/// </summary>
internal readonly struct Dot : IOperation
{
    /// <inheritdoc/>
    public static OpDescription Description { get; } = new()
    {
        Op = OpCode.Dot,
        Arity = 2,
        Shape = static (in Node node, ReadOnlySpan<NodeShape> inputs) => Dot.Shape(inputs),
        Bprop = BroadcastBprops.Dot,
        TwiceDifferentiable = true,
        Rows = RowRule.Mixes,
        Onnx = static (onnx, node, x, shapes, y) => onnx.Node("ReduceSum", y, [onnx.Node("Mul", onnx.Fresh("product"), x)], OnnxAttribute.Of("keepdims", 1L)),
        Sample = static (r, c, k) => new(new Node(OpCode.Dot), [new(r, c), new(r, c)]),
        Activation = null,
    };

    public static NodeShape Shape(ReadOnlySpan<NodeShape> inputs)
    {
        if (inputs[0] != inputs[1])
            throw new InvalidShapeException($"operands {inputs[0]} and {inputs[1]} must have the same shape");
        return NodeShape.Scalar;
    }

    public static void Forward<T>(in OpContext<T> c) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int n = c.InputShape(0).Length;
        Span<T> a = c.Input(0), b = c.Input(1), y = c.Output;
        for (int i = 0; i < c.Instances; i++)
            y[i] = FixedOrderSum.Dot<T>(OpContext<T>.Slice(a, i, n), OpContext<T>.Slice(b, i, n));
    }

    public static void Backward<T>(in OpContext<T> c) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int n = c.InputShape(0).Length;
        Span<T> a = c.Input(0), b = c.Input(1), dy = c.OutputGradient;
        for (int i = 0; i < c.Instances; i++)
        {
            if (c.NeedsGradient(0))
            {
                Span<T> da = OpContext<T>.Slice(c.InputGradient(0), i, n);
                TensorPrimitives.MultiplyAdd<T>(OpContext<T>.Slice(b, i, n), dy[i], da, da);
            }
            if (c.NeedsGradient(1))
            {
                Span<T> db = OpContext<T>.Slice(c.InputGradient(1), i, n);
                TensorPrimitives.MultiplyAdd<T>(OpContext<T>.Slice(a, i, n), dy[i], db, db);
            }
        }
    }
}
