using EcsNeural.Components;
using EcsNeural.Systems.Symbolic;
using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace EcsNeural.Systems.Ops;

/// <summary>Rectified linear unit y = max(0, x); dx += dy where x > 0.</summary>
internal readonly struct Relu : IOperation
{
    /// <inheritdoc/>
    public static OpDescription Description { get; } = new()
    {
        Op = OpCode.Relu,
        Arity = 1,
        Shape = static (in Node node, ReadOnlySpan<NodeShape> inputs) => ShapeRules.SameAsInput(inputs),
        Bprop = RectifierBprops.Relu,
        FiniteForFiniteInputs = true,
        ElementWise = true,
        TwiceDifferentiable = false,
        Rows = RowRule.Independent,
        Onnx = static (onnx, node, x, shapes, y) => onnx.Node("Relu", y, x),
        Sample = static (r, c, k) => new(new Node(OpCode.Relu), [new(r, c)]),
        Activation = new ActivationUnit(Rectifier: true),
    };

    public static void Forward<T>(in OpContext<T> c) where T : unmanaged, IFloatingPointIeee754<T>
    {
        TensorPrimitives.Max<T>(c.Input(0), T.Zero, c.Output);
    }

    /// <summary>
    /// Vectorised: at batch 1 (populations) this loop runs once per hidden layer per instance, so a scalar branch per
    /// element cost as much as the layer's weight gradient. Elements with x ≤ 0 keep their dx bits exactly.
    /// </summary>
    public static void Backward<T>(in OpContext<T> c) where T : unmanaged, IFloatingPointIeee754<T>
    {
        Span<T> x = c.Input(0), dy = c.OutputGradient, dx = c.InputGradient(0);
        int n = dx.Length, j = 0;
        ref T x0 = ref MemoryMarshal.GetReference(x), dy0 = ref MemoryMarshal.GetReference(dy), dx0 = ref MemoryMarshal.GetReference(dx);
        if (Vector512.IsHardwareAccelerated)
            for (; j + Vector512<T>.Count <= n; j += Vector512<T>.Count)
            {
                Vector512<T> g = Vector512.LoadUnsafe(ref dx0, (nuint)j);
                Vector512<T> active = Vector512.GreaterThan(Vector512.LoadUnsafe(ref x0, (nuint)j), Vector512<T>.Zero);
                Vector512.ConditionalSelect(active, g + Vector512.LoadUnsafe(ref dy0, (nuint)j), g).StoreUnsafe(ref dx0, (nuint)j);
            }
        if (Vector256.IsHardwareAccelerated)
            for (; j + Vector256<T>.Count <= n; j += Vector256<T>.Count)
            {
                Vector256<T> g = Vector256.LoadUnsafe(ref dx0, (nuint)j);
                Vector256<T> active = Vector256.GreaterThan(Vector256.LoadUnsafe(ref x0, (nuint)j), Vector256<T>.Zero);
                Vector256.ConditionalSelect(active, g + Vector256.LoadUnsafe(ref dy0, (nuint)j), g).StoreUnsafe(ref dx0, (nuint)j);
            }
        for (; j < n; j++)
        {
            if (Unsafe.Add(ref x0, j) > T.Zero)
                Unsafe.Add(ref dx0, j) += Unsafe.Add(ref dy0, j);
        }
    }
}
