using System.Numerics;
using EcsNeural.Components;
using EcsNeural.Systems.Symbolic;
using EcsNeural.Systems.Kernels;

namespace EcsNeural.Systems.Ops;

/// <summary>
/// A product with one operand transposed, as a node. One implementation serves both op codes because they differ only
/// in which GEMM operand carries the transpose flag:
/// <list type="bullet">
/// <item><see cref="OpCode.MatMulTransposeA"/>: C = Aᵀ·B, A [k×m], B [k×n] → C [m×n] (a weight gradient xᵀ·dy);
/// dA += B·dCᵀ, dB += A·dC.</item>
/// <item><see cref="OpCode.MatMulTransposeB"/>: C = A·Bᵀ, A [m×k], B [n×k] → C [m×n] (an input gradient dy·Wᵀ);
/// dA += dC·B, dB += dCᵀ·A.</item>
/// </list>
/// Runs the same GEMM calls as <see cref="MatMul"/>'s and <see cref="Dense"/>'s backward passes.
/// </summary>
internal static class TransposedMatMul
{
    public static NodeShape Shape(ReadOnlySpan<NodeShape> inputs, bool transposeA)
    {
        NodeShape a = inputs[0], b = inputs[1];
        if (transposeA && a.Rows != b.Rows)
            throw new InvalidShapeException($"Aᵀ·B needs equal row counts: {a}ᵀ · {b}");
        if (!transposeA && a.Cols != b.Cols)
            throw new InvalidShapeException($"A·Bᵀ needs equal column counts: {a} · {b}ᵀ");
        return transposeA ? new NodeShape(a.Cols, b.Cols) : new NodeShape(a.Rows, b.Rows);
    }

    public static void Forward<T>(in OpContext<T> c, bool transposeA) where T : unmanaged, IFloatingPointIeee754<T>
    {
        NodeShape a = c.InputShape(0), b = c.InputShape(1), y = c.OutputShape;
        int inner = transposeA ? a.Rows : a.Cols;
        Span<T> aAll = c.Input(0), bAll = c.Input(1), yAll = c.Output;
        for (int i = 0; i < c.Instances; i++)
            Gemm.Multiply<T>(OpContext<T>.Slice(aAll, i, a.Length), transposeA, OpContext<T>.Slice(bAll, i, b.Length), !transposeA,
                OpContext<T>.Slice(yAll, i, y.Length), y.Rows, y.Cols, inner, accumulate: false, c.Numerics);
    }

    public static void Backward<T>(in OpContext<T> c, bool transposeA) where T : unmanaged, IFloatingPointIeee754<T>
    {
        NodeShape a = c.InputShape(0), b = c.InputShape(1), y = c.OutputShape;
        int inner = transposeA ? a.Rows : a.Cols;
        Span<T> aAll = c.Input(0), bAll = c.Input(1), dyAll = c.OutputGradient;
        for (int i = 0; i < c.Instances; i++)
        {
            Span<T> ai = OpContext<T>.Slice(aAll, i, a.Length), bi = OpContext<T>.Slice(bAll, i, b.Length), dyi = OpContext<T>.Slice(dyAll, i, y.Length);
            if (c.NeedsGradient(0))
            {
                Span<T> dai = OpContext<T>.Slice(c.InputGradient(0), i, a.Length);
                if (transposeA)
                    Gemm.Multiply<T>(bi, false, dyi, true, dai, a.Rows, a.Cols, y.Cols, accumulate: true, c.Numerics);   // B·dCᵀ
                else
                    Gemm.Multiply<T>(dyi, false, bi, false, dai, a.Rows, a.Cols, y.Cols, accumulate: true, c.Numerics);  // dC·B
            }
            if (c.NeedsGradient(1))
            {
                Span<T> dbi = OpContext<T>.Slice(c.InputGradient(1), i, b.Length);
                if (transposeA)
                    Gemm.Multiply<T>(ai, false, dyi, false, dbi, b.Rows, b.Cols, y.Rows, accumulate: true, c.Numerics);  // A·dC
                else
                    Gemm.Multiply<T>(dyi, true, ai, false, dbi, b.Rows, b.Cols, y.Rows, accumulate: true, c.Numerics);   // dCᵀ·A
            }
        }
    }
}

/// <summary>C = Aᵀ·B (see <see cref="TransposedMatMul"/>).</summary>
internal readonly struct MatMulTransposeA : IOperation
{
    /// <inheritdoc/>
    public static OpDescription Description { get; } = new()
    {
        Op = OpCode.MatMulTransposeA,
        Arity = 2,
        Shape = static (in Node node, ReadOnlySpan<NodeShape> inputs) => TransposedMatMul.Shape(inputs, transposeA: true),
        Bprop = LinearAlgebraBprops.MatMulTransposeA,
        TwiceDifferentiable = true,
        Rows = RowRule.Mixes,
        Onnx = static (onnx, node, x, shapes, y) => onnx.Node("MatMul", y, [onnx.Node("Transpose", onnx.Fresh("t"), [x[0]]), x[1]]),
        Sample = static (r, c, k) => new(new Node(OpCode.MatMulTransposeA), [new(r, c), new(r, k)]),
        Activation = null,
    };

    /// <inheritdoc/>
    public static void Forward<T>(in OpContext<T> c) where T : unmanaged, IFloatingPointIeee754<T> => TransposedMatMul.Forward(c, transposeA: true);

    /// <inheritdoc/>
    public static void Backward<T>(in OpContext<T> c) where T : unmanaged, IFloatingPointIeee754<T> => TransposedMatMul.Backward(c, transposeA: true);
}

/// <summary>C = A·Bᵀ (see <see cref="TransposedMatMul"/>).</summary>
internal readonly struct MatMulTransposeB : IOperation
{
    /// <inheritdoc/>
    public static OpDescription Description { get; } = new()
    {
        Op = OpCode.MatMulTransposeB,
        Arity = 2,
        Shape = static (in Node node, ReadOnlySpan<NodeShape> inputs) => TransposedMatMul.Shape(inputs, transposeA: false),
        Bprop = LinearAlgebraBprops.MatMulTransposeB,
        TwiceDifferentiable = true,
        Rows = RowRule.SamplesOnLeft,
        Onnx = static (onnx, node, x, shapes, y) => onnx.Node("MatMul", y, [x[0], onnx.Node("Transpose", onnx.Fresh("t"), [x[1]])]),
        Sample = static (r, c, k) => new(new Node(OpCode.MatMulTransposeB), [new(r, c), new(k, c)]),
        Activation = null,
    };

    /// <inheritdoc/>
    public static void Forward<T>(in OpContext<T> c) where T : unmanaged, IFloatingPointIeee754<T> => TransposedMatMul.Forward(c, transposeA: false);

    /// <inheritdoc/>
    public static void Backward<T>(in OpContext<T> c) where T : unmanaged, IFloatingPointIeee754<T> => TransposedMatMul.Backward(c, transposeA: false);
}
