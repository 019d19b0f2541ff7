using System.Numerics;
using System.Numerics.Tensors;
using EcsNeural.Components;
using EcsNeural.Systems.Symbolic;
using EcsNeural.Systems.Kernels;

namespace EcsNeural.Systems.Ops;

/// <summary>
/// Affine layer y = x·W + b (per sample, Wᵀx + b): x [batch×in], W [in×out], b [1×out] → y [batch×out].
/// Backward: dx += dy·Wᵀ, dW += xᵀ·dy, db += Σ_batch dy.
/// </summary>
/// <remarks>
/// Small batches (populations: many instances, a few samples each) go through the population kernels
/// (<see cref="DenseKernels"/>); big batches go through GEMMs, split into parallel row blocks when the graph has one block.
/// The choice depends on the shape only, so results never depend on the worker count. Interleaved instances (one sample
/// each) run <see cref="InterleavedDenseKernels"/>, whose backward pass may also apply the SGD step
/// (<see cref="OpContext{T}.UpdatesParameters"/>).
/// </remarks>
internal readonly struct Dense : IOperation
{
    /// <inheritdoc/>
    public static OpDescription Description { get; } = new()
    {
        Op = OpCode.Dense,
        Arity = 3,
        Shape = static (in Node node, ReadOnlySpan<NodeShape> inputs) => Dense.Shape(inputs),
        OverwritesFirstGradient = true,
        Bprop = LinearAlgebraBprops.Dense,
        TwiceDifferentiable = true,
        Rows = RowRule.SamplesOnLeft,
        Interleaves = true,
        Onnx = static (onnx, node, x, shapes, y) => onnx.Node("Gemm", y, x),
        Sample = static (r, c, k) => new(new Node(OpCode.Dense), [new(r, c), new(c, k), new(1, k)]),
        Activation = null,
    };

    /// <summary>From this batch size on, an instance's products are GEMMs rather than per-sample row kernels.</summary>
    private const int GemmBatch = 16;

    public static NodeShape Shape(ReadOnlySpan<NodeShape> inputs)
    {
        NodeShape x = inputs[0], w = inputs[1], b = inputs[2];
        if (w.Rows != x.Cols)
            throw new InvalidShapeException($"weights {w} need {x.Cols} rows to match input {x}");
        if (b != new NodeShape(1, w.Cols))
            throw new InvalidShapeException($"bias {b} must be [1×{w.Cols}] to match weights {w}");
        return new NodeShape(x.Rows, w.Cols);
    }

    public static void Forward<T>(in OpContext<T> c) where T : unmanaged, IFloatingPointIeee754<T>
    {
        NodeShape x = c.InputShape(0), w = c.InputShape(1);
        int batch = x.Rows, inDim = x.Cols, outDim = w.Cols;
        if (c.Lanes > 1)
        {
            InterleavedDenseKernels.Forward<T>(c.Input(0), c.Input(1), c.Input(2), c.Output, c.Instances / c.Lanes, c.Lanes, inDim, outDim);
            return;
        }
        if (batch < GemmBatch)
        {
            DenseKernels.Forward<T>(c.Input(0), c.Input(1), c.Input(2), c.Output, c.Instances, batch, inDim, outDim, c.Numerics);
            return;
        }
        for (int i = 0; i < c.Instances; i++)
            ParallelGemm.MultiplyAddingRow(c, c.InputAt(0, i), c.InputAt(1, i), c.InputAt(2, i), c.OutputAt(i), batch, outDim, inDim);
    }

    public static void Backward<T>(in OpContext<T> c) where T : unmanaged, IFloatingPointIeee754<T>
    {
        NodeShape x = c.InputShape(0), w = c.InputShape(1);
        int batch = x.Rows, inDim = x.Cols, outDim = w.Cols;
        bool needX = c.NeedsGradient(0), needW = c.NeedsGradient(1), needB = c.NeedsGradient(2);
        bool setX = c.OverwriteGradient(0), setW = c.OverwriteGradient(1), setB = c.OverwriteGradient(2);
        if (c.Lanes > 1)
        {
            BackwardInterleaved(c, inDim, outDim, needX, setX, needW, needB, setW, setB);
            return;
        }
        // The population kernel overwrites dx and treats dW and db alike, so it serves only the cases that fit that.
        if (batch < GemmBatch && needW && needB && setW == setB)
        {
            bool fusedDx = needX && setX;
            DenseKernels.Backward<T>(c.Input(0), c.Input(1), c.OutputGradient, fusedDx ? c.InputGradient(0) : Span<T>.Empty,
                c.InputGradient(1), c.InputGradient(2), c.Instances, batch, inDim, outDim, accumulate: !setW, c.Numerics);
            needW = needB = false;
            needX &= !fusedDx;
        }
        for (int i = 0; i < c.Instances; i++)
        {
            if (needX)
                ParallelGemm.Multiply(c, c.OutputGradientAt(i), false, c.InputAt(1, i), true, c.InputGradientAt(0, i),
                    batch, inDim, outDim, accumulate: !setX);
            if (needW)
                ParallelGemm.Multiply(c, c.InputAt(0, i), true, c.OutputGradientAt(i), false, c.InputGradientAt(1, i),
                    inDim, outDim, batch, accumulate: !setW);
            if (needB)
            {
                Span<T> db = OpContext<T>.Slice(c.InputGradient(2), i, outDim), dy = OpContext<T>.Slice(c.OutputGradient, i, batch * outDim);
                if (setB)
                    db.Clear();
                RowSums.AddRows<T>(dy, batch, db);
            }
        }
    }

    /// <summary>Interleaved instances: dx, and dW and db or the SGD step, in one pass over each group's weights.</summary>
    private static void BackwardInterleaved<T>(in OpContext<T> c, int inDim, int outDim, bool needX, bool setX, bool needW, bool needB,
        bool setW, bool setB) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int groups = c.Instances / c.Lanes;
        bool update = c.UpdatesParameters;
        Span<T> dx = needX ? c.InputGradient(0) : default;
        if (update || (needW && needB && setW == setB))
        {
            InterleavedDenseKernels.Backward<T>(c.Input(0), c.Input(1), c.Input(2), c.OutputGradient, dx, update ? default : c.InputGradient(1),
                update ? default : c.InputGradient(2), groups, c.Lanes, inDim, outDim, addDx: !setX, addParameters: !setW, update, c.LearningRate);
            return;
        }
        // Weights and bias wanted differently (one frozen, or one accumulated): one call each.
        InterleavedDenseKernels.Backward<T>(c.Input(0), c.Input(1), c.Input(2), c.OutputGradient, dx, default, default, groups, c.Lanes, inDim, outDim,
            addDx: !setX, addParameters: false, update: false, T.Zero);
        if (needW)
            InterleavedDenseKernels.Backward<T>(c.Input(0), c.Input(1), c.Input(2), c.OutputGradient, default, c.InputGradient(1), default,
                groups, c.Lanes, inDim, outDim, addDx: false, addParameters: !setW, update: false, T.Zero);
        if (needB)
            InterleavedDenseKernels.Backward<T>(c.Input(0), c.Input(1), c.Input(2), c.OutputGradient, default, default, c.InputGradient(2),
                groups, c.Lanes, inDim, outDim, addDx: false, addParameters: !setB, update: false, T.Zero);
    }
}
