using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace EcsNeural.Systems.Kernels;

/// <summary>
/// A dense layer on interleaved instances (<c>InstanceLayout.Interleaved</c>), one sample each: instances in groups of
/// L = one Vector512's lanes, element by element — <c>x: [group][in][L]</c>, <c>w: [group][in][out][L]</c>,
/// <c>b, y: [group][out][L]</c>. Every FMA serves L agents whatever the layer's width, and the input gradient is a
/// plain per-lane sum (no horizontal sums, no idle lanes in a 4-wide output layer). Each lane computes exactly the
/// scalar chain of one instance, so a group's split into blocks never changes a bit.
/// </summary>
/// <remarks>
/// The forward pass rounds as <see cref="DenseRowKernels.Affine{T, TNumerics}"/> does on the same CPU (even and odd inputs
/// in two chains for the outputs its vectors cover, one chain for the rest), so an interleaved and a contiguous graph
/// compute the same outputs; the input gradient sums in its own fixed order (even and odd outputs in two chains).
/// </remarks>
internal static class InterleavedDenseKernels
{
    /// <summary>y = x·w + b for <paramref name="groups"/> groups.</summary>
    public static void Forward<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> w, ReadOnlySpan<T> b, Span<T> y, int groups, int inDim, int outDim)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int lanes = Vector512<T>.Count;
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
                FourPaired(ref xg, ref wg, ref bg, ref yg, o, inDim, outDim);
            for (; o < paired; o++)
                OnePaired(ref xg, ref wg, ref bg, ref yg, o, inDim, outDim);
            for (; o < outDim; o++)
            {
                Vector512<T> sum = Load(ref bg, o);
                for (int p = 0; p < inDim; p++)
                    sum = SimdOps.Fma(Load(ref xg, p), Load(ref wg, p * outDim + o), sum);
                sum.StoreUnsafe(ref yg, (nuint)(o * lanes));
            }
        }
    }

    /// <summary>Outputs o…o+3 of one group, even and odd inputs in separate chains (eight accumulators in registers).</summary>
    private static void FourPaired<T>(ref T x, ref T w, ref T b, ref T y, int o, int inDim, int outDim) where T : unmanaged, IFloatingPointIeee754<T>
    {
        Vector512<T> e0 = Load(ref b, o), e1 = Load(ref b, o + 1), e2 = Load(ref b, o + 2), e3 = Load(ref b, o + 3);
        Vector512<T> d0 = Vector512<T>.Zero, d1 = Vector512<T>.Zero, d2 = Vector512<T>.Zero, d3 = Vector512<T>.Zero;
        int p = 0;
        for (; p + 2 <= inDim; p += 2)
        {
            Vector512<T> xe = Load(ref x, p), xo = Load(ref x, p + 1);
            int we = p * outDim + o, wo = we + outDim;
            e0 = SimdOps.Fma(xe, Load(ref w, we), e0);
            e1 = SimdOps.Fma(xe, Load(ref w, we + 1), e1);
            e2 = SimdOps.Fma(xe, Load(ref w, we + 2), e2);
            e3 = SimdOps.Fma(xe, Load(ref w, we + 3), e3);
            d0 = SimdOps.Fma(xo, Load(ref w, wo), d0);
            d1 = SimdOps.Fma(xo, Load(ref w, wo + 1), d1);
            d2 = SimdOps.Fma(xo, Load(ref w, wo + 2), d2);
            d3 = SimdOps.Fma(xo, Load(ref w, wo + 3), d3);
        }
        if (p < inDim)
        {
            Vector512<T> xe = Load(ref x, p);
            int we = p * outDim + o;
            e0 = SimdOps.Fma(xe, Load(ref w, we), e0);
            e1 = SimdOps.Fma(xe, Load(ref w, we + 1), e1);
            e2 = SimdOps.Fma(xe, Load(ref w, we + 2), e2);
            e3 = SimdOps.Fma(xe, Load(ref w, we + 3), e3);
        }
        Store(e0 + d0, ref y, o);
        Store(e1 + d1, ref y, o + 1);
        Store(e2 + d2, ref y, o + 2);
        Store(e3 + d3, ref y, o + 3);
    }

    private static void OnePaired<T>(ref T x, ref T w, ref T b, ref T y, int o, int inDim, int outDim) where T : unmanaged, IFloatingPointIeee754<T>
    {
        Vector512<T> even = Load(ref b, o), odd = Vector512<T>.Zero;
        int p = 0;
        for (; p + 2 <= inDim; p += 2)
        {
            even = SimdOps.Fma(Load(ref x, p), Load(ref w, p * outDim + o), even);
            odd = SimdOps.Fma(Load(ref x, p + 1), Load(ref w, (p + 1) * outDim + o), odd);
        }
        if (p < inDim)
            even = SimdOps.Fma(Load(ref x, p), Load(ref w, p * outDim + o), even);
        Store(even + odd, ref y, o);
    }

    /// <summary>
    /// Backward for <paramref name="groups"/> groups: dx = dy·wᵀ (written, or added when <paramref name="addDx"/>; skipped when
    /// <paramref name="dx"/> is empty), then either the gradients dw = x⊗dy and db = dy (written, or added when
    /// <paramref name="addParameters"/>; each skipped when empty) or, with <paramref name="update"/>, the SGD step itself:
    /// w ← w + (x⊗dy)·(−η), b ← b + dy·(−η) — the gradient rounded, then the step rounded as the optimizer's separate pass
    /// rounds it, so the parameters come out the same bits, and the weight gradient never reaches memory.
    /// </summary>
    public static void Backward<T>(ReadOnlySpan<T> x, Span<T> w, Span<T> b, ReadOnlySpan<T> dy, Span<T> dx, Span<T> dw, Span<T> db,
        int groups, int inDim, int outDim, bool addDx, bool addParameters, bool update, T learningRate) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int lanes = Vector512<T>.Count;
        var step = Vector512.Create(-learningRate);
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
                Vector512<T> xp = Load(ref xg, p);
                ref T wRow = ref Unsafe.Add(ref wg, p * outDim * lanes);
                ref T dwRow = ref Unsafe.Add(ref dwg, p * outDim * lanes);
                if (withDx)
                {
                    // dx reads w before this row's update writes it.
                    Vector512<T> even = Vector512<T>.Zero, odd = Vector512<T>.Zero;
                    int o = 0;
                    for (; o + 2 <= outDim; o += 2)
                    {
                        even = SimdOps.Fma(Load(ref dyg, o), Load(ref wRow, o), even);
                        odd = SimdOps.Fma(Load(ref dyg, o + 1), Load(ref wRow, o + 1), odd);
                    }
                    if (o < outDim)
                        even = SimdOps.Fma(Load(ref dyg, o), Load(ref wRow, o), even);
                    Vector512<T> sum = even + odd;
                    Store(addDx ? Load(ref dxg, p) + sum : sum, ref dxg, p);
                }
                if (!withDw)
                    continue;
                if (update)
                    for (int o = 0; o < outDim; o++)
                        Store(xp * Load(ref dyg, o) * step + Load(ref wRow, o), ref wRow, o);
                else if (addParameters)
                    for (int o = 0; o < outDim; o++)
                        Store(SimdOps.Fma(xp, Load(ref dyg, o), Load(ref dwRow, o)), ref dwRow, o);
                else
                    for (int o = 0; o < outDim; o++)
                        Store(xp * Load(ref dyg, o), ref dwRow, o);
            }
            if (!withDb)
                continue;
            ref T bg = ref Unsafe.Add(ref MemoryMarshal.GetReference(update ? b : db), (nint)g * outDim * lanes);
            for (int o = 0; o < outDim; o++)
                Store(update ? Load(ref dyg, o) * step + Load(ref bg, o) : addParameters ? Load(ref bg, o) + Load(ref dyg, o) : Load(ref dyg, o), ref bg, o);
        }
    }

    /// <summary>Element <paramref name="element"/> of a group: its L lanes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<T> Load<T>(ref T group, int element) where T : unmanaged
        => Vector512.LoadUnsafe(ref group, (nuint)(element * Vector512<T>.Count));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store<T>(Vector512<T> value, ref T group, int element) where T : unmanaged
        => value.StoreUnsafe(ref group, (nuint)(element * Vector512<T>.Count));
}
