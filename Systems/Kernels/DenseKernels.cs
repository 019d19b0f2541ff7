using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace EcsNeural.Systems.Kernels;

/// <summary>
/// A dense (fully connected) layer applied to a population: many instances, each with its own weights and bias.
/// </summary>
/// <remarks>
/// Layout, per instance i, instances stored one after another: <c>x: [batch][in]</c>, <c>w: [in][out]</c>,
/// <c>b: [out]</c>, <c>y: [batch][out]</c> (and the same for the gradients). Every span covers exactly
/// <c>instances</c> instances. Forward computes <c>y = x·w + b</c>. Instances are independent, so any split of a
/// population into instance ranges gives bit-identical results. Work is vectorised along the output dimension
/// per sample (see <see cref="DenseRowKernels"/>; populations usually run one sample per step); batches of
/// <see cref="GemmBatch"/> or more samples per instance run as GEMMs.
/// <para>
/// A population that qualifies for the interleaved layout (one sample each, fast numerics, 256- or 512-bit vectors) runs
/// <see cref="InterleavedDenseKernels"/> instead: the per-row horizontal sums of dx and the idle lanes of 4- and 8-wide
/// output layers are what that layout removes.
/// </para>
/// </remarks>
public static class DenseKernels
{
    /// <summary>
    /// Batches of at least this many samples per instance run as GEMMs (<see cref="Gemm"/>: W packed once, reused
    /// by every sample); smaller ones run the per-sample row kernels. The choice depends only on the shape.
    /// </summary>
    public const int GemmBatch = 8;

    /// <summary>Forward pass <c>y = x·w + b</c> for each instance; <paramref name="y"/> is overwritten.</summary>
    /// <param name="x">Inputs, <c>instances·batch·inDim</c> elements.</param>
    /// <param name="w">Weights, <c>instances·inDim·outDim</c> elements.</param>
    /// <param name="b">Biases, <c>instances·outDim</c> elements.</param>
    /// <param name="y">Outputs, <c>instances·batch·outDim</c> elements.</param>
    /// <param name="instances">Number of instances.</param>
    /// <param name="batch">Samples per instance.</param>
    /// <param name="inDim">Input width.</param>
    /// <param name="outDim">Output width.</param>
    /// <param name="numerics">How the layer may round (see <see cref="NumericsMode"/>).</param>
    public static void Forward<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> w, ReadOnlySpan<T> b, Span<T> y,
        int instances, int batch, int inDim, int outDim, NumericsMode numerics = NumericsMode.Fast) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ValidateShape(instances, batch, inDim, outDim);
        RequireLength(x.Length, instances, batch * inDim, "x");
        RequireLength(w.Length, instances, inDim * outDim, "w");
        RequireLength(b.Length, instances, outDim, "b");
        RequireLength(y.Length, instances, batch * outDim, "y");
        if (numerics == NumericsMode.Portable)
            Forward<T, PortableNumerics>(x, w, b, y, instances, batch, inDim, outDim);
        else
            Forward<T, FastNumerics>(x, w, b, y, instances, batch, inDim, outDim);
    }

    private static void Forward<T, TNumerics>(ReadOnlySpan<T> x, ReadOnlySpan<T> w, ReadOnlySpan<T> b, Span<T> y,
        int instances, int batch, int inDim, int outDim) where T : unmanaged, IFloatingPointIeee754<T> where TNumerics : struct, IKernelNumerics
    {
        ref T x0 = ref MemoryMarshal.GetReference(x), w0 = ref MemoryMarshal.GetReference(w);
        ref T b0 = ref MemoryMarshal.GetReference(b), y0 = ref MemoryMarshal.GetReference(y);
        int wSize = inDim * outDim;
        for (int i = 0; i < instances; i++)
        {
            ref T wi = ref Unsafe.Add(ref w0, (nint)i * wSize);
            ref T bi = ref Unsafe.Add(ref b0, (nint)i * outDim);
            if (batch >= GemmBatch)
            {
                Span<T> yi = y.Slice(i * batch * outDim, batch * outDim);
                for (int s = 0; s < batch; s++)
                    b.Slice(i * outDim, outDim).CopyTo(yi.Slice(s * outDim, outDim));
                Gemm.Multiply(x.Slice(i * batch * inDim, batch * inDim), false, w.Slice(i * wSize, wSize), false, yi, batch, outDim, inDim,
                    accumulate: true, Mode<TNumerics>());
                continue;
            }
            for (int s = 0; s < batch; s++)
            {
                nint row = (nint)i * batch + s;
                DenseRowKernels.Affine<T, TNumerics>(ref Unsafe.Add(ref x0, row * inDim), ref wi, ref bi, ref Unsafe.Add(ref y0, row * outDim), inDim, outDim);
            }
        }
    }

    /// <summary>
    /// Backward pass for each instance: <c>dx = dy·wᵀ</c> (overwritten), <c>dw = xᵀ·dy</c> and <c>db = Σ_batch dy</c>
    /// (added to the existing values when <paramref name="accumulate"/>, otherwise overwritten).
    /// </summary>
    /// <param name="x">Inputs of the forward pass, <c>instances·batch·inDim</c> elements.</param>
    /// <param name="w">Weights, <c>instances·inDim·outDim</c> elements.</param>
    /// <param name="dy">Gradient of the loss with respect to y, <c>instances·batch·outDim</c> elements.</param>
    /// <param name="dx">Gradient with respect to x, <c>instances·batch·inDim</c> elements, or empty to skip it (first layer).</param>
    /// <param name="dw">Gradient with respect to w, <c>instances·inDim·outDim</c> elements.</param>
    /// <param name="db">Gradient with respect to b, <c>instances·outDim</c> elements.</param>
    /// <param name="instances">Number of instances.</param>
    /// <param name="batch">Samples per instance.</param>
    /// <param name="inDim">Input width.</param>
    /// <param name="outDim">Output width.</param>
    /// <param name="accumulate">Add into <paramref name="dw"/> and <paramref name="db"/> instead of overwriting them.</param>
    /// <param name="numerics">How the layer may round (see <see cref="NumericsMode"/>).</param>
    public static void Backward<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> w, ReadOnlySpan<T> dy,
        Span<T> dx, Span<T> dw, Span<T> db, int instances, int batch, int inDim, int outDim, bool accumulate,
        NumericsMode numerics = NumericsMode.Fast)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ValidateShape(instances, batch, inDim, outDim);
        RequireLength(x.Length, instances, batch * inDim, "x");
        RequireLength(w.Length, instances, inDim * outDim, "w");
        RequireLength(dy.Length, instances, batch * outDim, "dy");
        if (!dx.IsEmpty)
            RequireLength(dx.Length, instances, batch * inDim, "dx");
        RequireLength(dw.Length, instances, inDim * outDim, "dw");
        RequireLength(db.Length, instances, outDim, "db");
        Gradients(x, w, dy, dx, dw, db, instances, batch, inDim, outDim, accumulate, numerics);
    }

    /// <summary>
    /// Dense's input gradient alone, <c>dx = dy·wᵀ</c> (overwritten) for each instance, rounded exactly as
    /// <see cref="Backward"/> rounds it (the symbolic gradient op DenseInputGradient runs this).
    /// </summary>
    internal static void InputGradient<T>(ReadOnlySpan<T> dy, ReadOnlySpan<T> w, Span<T> dx, int instances, int batch, int inDim, int outDim,
        NumericsMode numerics = NumericsMode.Fast) where T : unmanaged, IFloatingPointIeee754<T>
        => Gradients(default, w, dy, dx, default, default, instances, batch, inDim, outDim, accumulate: false, numerics);

    /// <summary>
    /// Dense's weight gradient alone, <c>dw = xᵀ·dy</c> (overwritten) for each instance, rounded exactly as
    /// <see cref="Backward"/> rounds it (the symbolic gradient op DenseWeightGradient runs this).
    /// </summary>
    internal static void WeightGradient<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> dy, Span<T> dw, int instances, int batch, int inDim, int outDim,
        NumericsMode numerics = NumericsMode.Fast) where T : unmanaged, IFloatingPointIeee754<T>
        => Gradients(x, default, dy, default, dw, default, instances, batch, inDim, outDim, accumulate: false, numerics);

    private static void Gradients<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> w, ReadOnlySpan<T> dy, Span<T> dx, Span<T> dw, Span<T> db,
        int instances, int batch, int inDim, int outDim, bool accumulate, NumericsMode numerics) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (numerics == NumericsMode.Portable)
            Gradients<T, PortableNumerics>(x, w, dy, dx, dw, db, instances, batch, inDim, outDim, accumulate);
        else
            Gradients<T, FastNumerics>(x, w, dy, dx, dw, db, instances, batch, inDim, outDim, accumulate);
    }

    /// <summary>
    /// The one implementation of Dense's backward arithmetic, so the numeric gradient and the symbolic gradient ops
    /// cannot drift apart: <c>dx = dy·wᵀ</c>, <c>dw (+)= xᵀ·dy</c>, <c>db (+)= Σ_batch dy</c> for each instance, each
    /// skipped when its span is empty (then the inputs only it reads may be empty too). Lengths are the caller's to check.
    /// </summary>
    /// <remarks>
    /// Small batches run per sample: when dw is wanted and out is a whole number of Vector512s, the one-pass
    /// <see cref="DenseRowKernels.BackwardWide"/> (the population hot path), otherwise <see cref="DenseRowKernels.Dot"/> and
    /// <see cref="DenseRowKernels.Axpy"/> per row of w. The two round alike: for such widths Dot is the same chain of
    /// Vector512 FMAs and one horizontal sum, and Axpy the same FMA (or product, for the first sample) per element.
    /// Portable numerics round both ways as <see cref="FixedOrderSum.FusedDot{T}"/> and a fused Axpy, and take the one-pass
    /// kernel whatever the hardware (its lanes are emulated without AVX-512: the same bits).
    /// </remarks>
    private static void Gradients<T, TNumerics>(ReadOnlySpan<T> x, ReadOnlySpan<T> w, ReadOnlySpan<T> dy, Span<T> dx, Span<T> dw, Span<T> db,
        int instances, int batch, int inDim, int outDim, bool accumulate) where T : unmanaged, IFloatingPointIeee754<T> where TNumerics : struct, IKernelNumerics
    {
        if (batch == 0 && !accumulate)
        {
            dw.Clear();
            db.Clear();
        }
        bool withDx = !dx.IsEmpty, withDw = !dw.IsEmpty, withDb = !db.IsEmpty;
        bool wide = withDw && (TNumerics.IsPortable || Vector512.IsHardwareAccelerated) && outDim % Vector512<T>.Count == 0;
        ref T x0 = ref MemoryMarshal.GetReference(x), w0 = ref MemoryMarshal.GetReference(w), dy0 = ref MemoryMarshal.GetReference(dy);
        ref T dx0 = ref MemoryMarshal.GetReference(dx), dw0 = ref MemoryMarshal.GetReference(dw), db0 = ref MemoryMarshal.GetReference(db);
        int wSize = inDim * outDim;
        for (int i = 0; i < instances; i++)
        {
            ref T wi = ref Unsafe.Add(ref w0, (nint)i * wSize);
            ref T dwi = ref Unsafe.Add(ref dw0, (nint)i * wSize);
            ref T dbi = ref Unsafe.Add(ref db0, (nint)i * outDim);
            if (batch >= GemmBatch)
            {
                GradientsBatched(x, w, dy, dx, dw, db, i, batch, inDim, outDim, accumulate, Mode<TNumerics>());
                continue;
            }
            for (int s = 0; s < batch; s++)
            {
                nint row = (nint)i * batch + s;
                ref T xs = ref Unsafe.Add(ref x0, row * inDim);
                ref T dys = ref Unsafe.Add(ref dy0, row * outDim);
                bool add = accumulate || s > 0;
                if (wide)
                    DenseRowKernels.BackwardWide<T, TNumerics>(ref xs, ref wi, ref dys, ref Unsafe.Add(ref dx0, row * inDim),
                        ref dwi, inDim, outDim, withDx, add);
                else if (TNumerics.IsPortable)
                {
                    // Every row's dot at once: short rows (a 4- or 8-wide output layer) share vectors.
                    if (withDx)
                        FixedOrderSum.FusedRowDots(ref dys, ref wi, ref Unsafe.Add(ref dx0, row * inDim), inDim, outDim);
                    if (withDw)
                        for (int p = 0; p < inDim; p++)
                            DenseRowKernels.Axpy<T, TNumerics>(Unsafe.Add(ref xs, p), ref dys, ref Unsafe.Add(ref dwi, p * outDim), outDim, add);
                }
                else
                    for (int p = 0; p < inDim; p++)
                    {
                        if (withDx)
                            Unsafe.Add(ref dx0, row * inDim + p) = DenseRowKernels.Dot(ref dys, ref Unsafe.Add(ref wi, p * outDim), outDim);
                        if (withDw)
                            DenseRowKernels.Axpy<T, TNumerics>(Unsafe.Add(ref xs, p), ref dys, ref Unsafe.Add(ref dwi, p * outDim), outDim, add);
                    }
                if (withDb)
                    DenseRowKernels.Add(ref dys, ref dbi, outDim, add);
            }
        }
    }

    /// <summary>One instance with a large batch: dx = dy·wᵀ, dw (+)= xᵀ·dy as GEMMs, db (+)= column sums of dy (each when wanted).</summary>
    private static void GradientsBatched<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> w, ReadOnlySpan<T> dy, Span<T> dx, Span<T> dw, Span<T> db,
        int i, int batch, int inDim, int outDim, bool accumulate, NumericsMode numerics) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int xSize = batch * inDim, wSize = inDim * outDim, ySize = batch * outDim;
        ReadOnlySpan<T> dyi = dy.Slice(i * ySize, ySize);
        if (!dx.IsEmpty)
            Gemm.Multiply(dyi, false, w.Slice(i * wSize, wSize), true, dx.Slice(i * xSize, xSize), batch, inDim, outDim, accumulate: false, numerics);
        if (!dw.IsEmpty)
            Gemm.Multiply(x.Slice(i * xSize, xSize), true, dyi, false, dw.Slice(i * wSize, wSize), inDim, outDim, batch, accumulate, numerics);
        if (db.IsEmpty)
            return;
        ref T dbi = ref db[i * outDim];
        for (int s = 0; s < batch; s++)
            DenseRowKernels.Add(ref Unsafe.AsRef(in dyi[s * outDim]), ref dbi, outDim, accumulate || s > 0);
    }

    private static NumericsMode Mode<TNumerics>() where TNumerics : struct, IKernelNumerics
        => TNumerics.IsPortable ? NumericsMode.Portable : NumericsMode.Fast;

    private static void ValidateShape(int instances, int batch, int inDim, int outDim)
    {
        if (instances < 0 || batch < 0 || inDim < 0 || outDim < 0)
            throw new ArgumentOutOfRangeException(nameof(instances),
                $"DenseKernels: sizes must be non-negative, got instances={instances}, batch={batch}, in={inDim}, out={outDim}.");
    }

    private static void RequireLength(int actual, int instances, int perInstance, string name)
    {
        long expected = (long)instances * perInstance;
        if (actual != expected)
            throw new ArgumentException(
                $"DenseKernels: {name} holds {actual} elements but {instances} instances × {perInstance} = {expected} are expected.", name);
    }
}
