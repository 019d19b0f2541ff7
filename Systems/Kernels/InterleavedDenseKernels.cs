using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace EcsNeural.Systems.Kernels;

/// <summary>
/// A dense layer on interleaved instances (<c>InstanceLayout.Interleaved</c>), one sample each: instances in groups of
/// L = one vector's lanes (16 floats on AVX-512, 8 on AVX2), element by element — <c>x: [group][in][L]</c>,
/// <c>w: [group][in][out][L]</c>, <c>b, y: [group][out][L]</c>. Every FMA serves L agents whatever the layer's width, and
/// the input gradient is a plain per-lane sum (no horizontal sums, no idle lanes in a 4-wide output layer). Each lane
/// computes exactly the scalar chain of one instance, so a group's split into blocks never changes a bit.
/// </summary>
/// <remarks>
/// The forward pass rounds as <see cref="DenseRowKernels.Affine{T, TNumerics}"/> does on the same CPU (even and odd inputs
/// in two chains for the outputs its vectors cover, one chain for the rest), so an interleaved and a contiguous graph
/// compute the same outputs; the input gradient sums in its own fixed order (even and odd outputs in two chains). The
/// lane count picks the vector type (<see cref="ILaneVector{T, TVector}"/>); the code is one.
/// </remarks>
internal static class InterleavedDenseKernels
{
    /// <summary>y = x·w + b for <paramref name="groups"/> groups of <paramref name="lanes"/> instances.</summary>
    public static void Forward<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> w, ReadOnlySpan<T> b, Span<T> y, int groups, int lanes, int inDim, int outDim)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (lanes == Vector512<T>.Count)
            Forward<T, Vector512<T>, Lanes512<T>>(x, w, b, y, groups, inDim, outDim);
        else
            Forward<T, Vector256<T>, Lanes256<T>>(x, w, b, y, groups, inDim, outDim);
    }

    /// <summary>
    /// Backward for <paramref name="groups"/> groups: dx = dy·wᵀ (written, or added when <paramref name="addDx"/>; skipped when
    /// <paramref name="dx"/> is empty), then either the gradients dw = x⊗dy and db = dy (written, or added when
    /// <paramref name="addParameters"/>; each skipped when empty) or, with <paramref name="update"/>, the SGD step itself:
    /// w ← w + (x⊗dy)·(−η), b ← b + dy·(−η) — the gradient rounded, then the step rounded as the optimizer's separate pass
    /// rounds it, so the parameters come out the same bits, and the weight gradient never reaches memory.
    /// </summary>
    public static void Backward<T>(ReadOnlySpan<T> x, Span<T> w, Span<T> b, ReadOnlySpan<T> dy, Span<T> dx, Span<T> dw, Span<T> db,
        int groups, int lanes, int inDim, int outDim, bool addDx, bool addParameters, bool update, T learningRate)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (lanes == Vector512<T>.Count)
            Backward<T, Vector512<T>, Lanes512<T>>(x, w, b, dy, dx, dw, db, groups, inDim, outDim, addDx, addParameters, update, learningRate);
        else
            Backward<T, Vector256<T>, Lanes256<T>>(x, w, b, dy, dx, dw, db, groups, inDim, outDim, addDx, addParameters, update, learningRate);
    }

    private static void Forward<T, TV, TL>(ReadOnlySpan<T> x, ReadOnlySpan<T> w, ReadOnlySpan<T> b, Span<T> y, int groups, int inDim, int outDim)
        where T : unmanaged, IFloatingPointIeee754<T> where TV : struct where TL : struct, ILaneVector<T, TV>
    {
        int lanes = TL.Count;
        // The outputs the contiguous kernel covers with vectors (two chains each); the rest it sums in one chain.
        int paired = outDim - outDim % Vector128<T>.Count;
        for (int g = 0; g < groups; g++)
        {
            ref T xg = ref Unsafe.Add(ref MemoryMarshal.GetReference(x), (nint)g * inDim * lanes);
            ref T wg = ref Unsafe.Add(ref MemoryMarshal.GetReference(w), (nint)g * inDim * outDim * lanes);
            ref T bg = ref Unsafe.Add(ref MemoryMarshal.GetReference(b), (nint)g * outDim * lanes);
            ref T yg = ref Unsafe.Add(ref MemoryMarshal.GetReference(y), (nint)g * outDim * lanes);
            int o = 0;
            for (; o + 4 <= paired; o += 4)
                FourPaired<T, TV, TL>(ref xg, ref wg, ref bg, ref yg, o, inDim, outDim);
            for (; o < paired; o++)
                OnePaired<T, TV, TL>(ref xg, ref wg, ref bg, ref yg, o, inDim, outDim);
            for (; o < outDim; o++)
            {
                TV sum = TL.Load(ref bg, o);
                for (int p = 0; p < inDim; p++)
                    sum = TL.MultiplyAdd(TL.Load(ref xg, p), TL.Load(ref wg, p * outDim + o), sum);
                TL.Store(sum, ref yg, o);
            }
        }
    }

    /// <summary>Outputs o…o+3 of one group, even and odd inputs in separate chains (eight accumulators in registers).</summary>
    private static void FourPaired<T, TV, TL>(ref T x, ref T w, ref T b, ref T y, int o, int inDim, int outDim)
        where T : unmanaged, IFloatingPointIeee754<T> where TV : struct where TL : struct, ILaneVector<T, TV>
    {
        TV e0 = TL.Load(ref b, o), e1 = TL.Load(ref b, o + 1), e2 = TL.Load(ref b, o + 2), e3 = TL.Load(ref b, o + 3);
        TV d0 = TL.Zero, d1 = TL.Zero, d2 = TL.Zero, d3 = TL.Zero;
        int p = 0;
        for (; p + 2 <= inDim; p += 2)
        {
            TV xe = TL.Load(ref x, p), xo = TL.Load(ref x, p + 1);
            int we = p * outDim + o, wo = we + outDim;
            e0 = TL.MultiplyAdd(xe, TL.Load(ref w, we), e0);
            e1 = TL.MultiplyAdd(xe, TL.Load(ref w, we + 1), e1);
            e2 = TL.MultiplyAdd(xe, TL.Load(ref w, we + 2), e2);
            e3 = TL.MultiplyAdd(xe, TL.Load(ref w, we + 3), e3);
            d0 = TL.MultiplyAdd(xo, TL.Load(ref w, wo), d0);
            d1 = TL.MultiplyAdd(xo, TL.Load(ref w, wo + 1), d1);
            d2 = TL.MultiplyAdd(xo, TL.Load(ref w, wo + 2), d2);
            d3 = TL.MultiplyAdd(xo, TL.Load(ref w, wo + 3), d3);
        }
        if (p < inDim)
        {
            TV xe = TL.Load(ref x, p);
            int we = p * outDim + o;
            e0 = TL.MultiplyAdd(xe, TL.Load(ref w, we), e0);
            e1 = TL.MultiplyAdd(xe, TL.Load(ref w, we + 1), e1);
            e2 = TL.MultiplyAdd(xe, TL.Load(ref w, we + 2), e2);
            e3 = TL.MultiplyAdd(xe, TL.Load(ref w, we + 3), e3);
        }
        TL.Store(TL.Add(e0, d0), ref y, o);
        TL.Store(TL.Add(e1, d1), ref y, o + 1);
        TL.Store(TL.Add(e2, d2), ref y, o + 2);
        TL.Store(TL.Add(e3, d3), ref y, o + 3);
    }

    private static void OnePaired<T, TV, TL>(ref T x, ref T w, ref T b, ref T y, int o, int inDim, int outDim)
        where T : unmanaged, IFloatingPointIeee754<T> where TV : struct where TL : struct, ILaneVector<T, TV>
    {
        TV even = TL.Load(ref b, o), odd = TL.Zero;
        int p = 0;
        for (; p + 2 <= inDim; p += 2)
        {
            even = TL.MultiplyAdd(TL.Load(ref x, p), TL.Load(ref w, p * outDim + o), even);
            odd = TL.MultiplyAdd(TL.Load(ref x, p + 1), TL.Load(ref w, (p + 1) * outDim + o), odd);
        }
        if (p < inDim)
            even = TL.MultiplyAdd(TL.Load(ref x, p), TL.Load(ref w, p * outDim + o), even);
        TL.Store(TL.Add(even, odd), ref y, o);
    }

    private static void Backward<T, TV, TL>(ReadOnlySpan<T> x, Span<T> w, Span<T> b, ReadOnlySpan<T> dy, Span<T> dx, Span<T> dw, Span<T> db,
        int groups, int inDim, int outDim, bool addDx, bool addParameters, bool update, T learningRate)
        where T : unmanaged, IFloatingPointIeee754<T> where TV : struct where TL : struct, ILaneVector<T, TV>
    {
        int lanes = TL.Count;
        TV step = TL.Broadcast(-learningRate);
        bool withDx = !dx.IsEmpty, withDw = update || !dw.IsEmpty, withDb = update || !db.IsEmpty;
        for (int g = 0; g < groups; g++)
        {
            ref T xg = ref Unsafe.Add(ref MemoryMarshal.GetReference(x), (nint)g * inDim * lanes);
            ref T wg = ref Unsafe.Add(ref MemoryMarshal.GetReference(w), (nint)g * inDim * outDim * lanes);
            ref T dyg = ref Unsafe.Add(ref MemoryMarshal.GetReference(dy), (nint)g * outDim * lanes);
            ref T dxg = ref Unsafe.Add(ref MemoryMarshal.GetReference(dx), (nint)g * inDim * lanes);
            ref T dwg = ref update ? ref wg : ref Unsafe.Add(ref MemoryMarshal.GetReference(dw), (nint)g * inDim * outDim * lanes);
            for (int p = 0; p < inDim; p++)
            {
                TV xp = TL.Load(ref xg, p);
                ref T wRow = ref Unsafe.Add(ref wg, p * outDim * lanes);
                ref T dwRow = ref Unsafe.Add(ref dwg, p * outDim * lanes);
                if (withDx)
                {
                    // dx reads w before this row's update writes it.
                    TV even = TL.Zero, odd = TL.Zero;
                    int o = 0;
                    for (; o + 2 <= outDim; o += 2)
                    {
                        even = TL.MultiplyAdd(TL.Load(ref dyg, o), TL.Load(ref wRow, o), even);
                        odd = TL.MultiplyAdd(TL.Load(ref dyg, o + 1), TL.Load(ref wRow, o + 1), odd);
                    }
                    if (o < outDim)
                        even = TL.MultiplyAdd(TL.Load(ref dyg, o), TL.Load(ref wRow, o), even);
                    TV sum = TL.Add(even, odd);
                    TL.Store(addDx ? TL.Add(TL.Load(ref dxg, p), sum) : sum, ref dxg, p);
                }
                if (!withDw)
                    continue;
                if (update)
                    for (int o = 0; o < outDim; o++)
                        TL.Store(TL.Add(TL.Multiply(TL.Multiply(xp, TL.Load(ref dyg, o)), step), TL.Load(ref wRow, o)), ref wRow, o);
                else if (addParameters)
                    for (int o = 0; o < outDim; o++)
                        TL.Store(TL.MultiplyAdd(xp, TL.Load(ref dyg, o), TL.Load(ref dwRow, o)), ref dwRow, o);
                else
                    for (int o = 0; o < outDim; o++)
                        TL.Store(TL.Multiply(xp, TL.Load(ref dyg, o)), ref dwRow, o);
            }
            if (!withDb)
                continue;
            ref T bg = ref Unsafe.Add(ref MemoryMarshal.GetReference(update ? b : db), (nint)g * outDim * lanes);
            for (int o = 0; o < outDim; o++)
            {
                TV d = TL.Load(ref dyg, o);
                TL.Store(update ? TL.Add(TL.Multiply(d, step), TL.Load(ref bg, o)) : addParameters ? TL.Add(TL.Load(ref bg, o), d) : d, ref bg, o);
            }
        }
    }
}
