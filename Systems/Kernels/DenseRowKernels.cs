using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace EcsNeural.Systems.Kernels;

/// <summary>
/// One-sample building blocks of <see cref="DenseKernels"/>, vectorised along the layer's output dimension
/// (a 32-wide row is two Vector512). Each walks a row in 512-, then 256-, then 128-bit chunks, then scalars, so
/// narrow rows (4 or 8 wide) still use vector instructions.
/// </summary>
internal static class DenseRowKernels
{
    /// <summary>
    /// y[0..out) = b + Σ_p x[p]·w[p, 0..out), w row-major [in][out]. Each output is its own pair of chains (even p from b,
    /// odd p from 0, added at the end), so the vector width only groups outputs; portable numerics fuse every step and run
    /// the scalar tail as the same two chains, so then no width or instruction set changes a bit.
    /// </summary>
    public static void Affine<T, TNumerics>(ref T x, ref T w, ref T b, ref T y, int inDim, int outDim)
        where T : unmanaged, IFloatingPointIeee754<T> where TNumerics : struct, IKernelNumerics
    {
        int o = 0;
        nuint stride = (nuint)outDim;
        if (Vector512.IsHardwareAccelerated)
            for (; o + Vector512<T>.Count <= outDim; o += Vector512<T>.Count)
            {
                // Two accumulators (even/odd p) halve the FMA dependency chain.
                ref T column = ref Unsafe.Add(ref w, o);
                Vector512<T> even = Vector512.LoadUnsafe(ref b, (nuint)o), odd = Vector512<T>.Zero;
                int p = 0;
                for (; p + 2 <= inDim; p += 2)
                {
                    even = TNumerics.MultiplyAdd(Vector512.Create(Unsafe.Add(ref x, p)), Vector512.LoadUnsafe(ref column, (nuint)p * stride), even);
                    odd = TNumerics.MultiplyAdd(Vector512.Create(Unsafe.Add(ref x, p + 1)), Vector512.LoadUnsafe(ref column, (nuint)(p + 1) * stride), odd);
                }
                if (p < inDim)
                    even = TNumerics.MultiplyAdd(Vector512.Create(Unsafe.Add(ref x, p)), Vector512.LoadUnsafe(ref column, (nuint)p * stride), even);
                (even + odd).StoreUnsafe(ref y, (nuint)o);
            }
        if (Vector256.IsHardwareAccelerated)
            for (; o + Vector256<T>.Count <= outDim; o += Vector256<T>.Count)
            {
                ref T column = ref Unsafe.Add(ref w, o);
                Vector256<T> even = Vector256.LoadUnsafe(ref b, (nuint)o), odd = Vector256<T>.Zero;
                int p = 0;
                for (; p + 2 <= inDim; p += 2)
                {
                    even = TNumerics.MultiplyAdd(Vector256.Create(Unsafe.Add(ref x, p)), Vector256.LoadUnsafe(ref column, (nuint)p * stride), even);
                    odd = TNumerics.MultiplyAdd(Vector256.Create(Unsafe.Add(ref x, p + 1)), Vector256.LoadUnsafe(ref column, (nuint)(p + 1) * stride), odd);
                }
                if (p < inDim)
                    even = TNumerics.MultiplyAdd(Vector256.Create(Unsafe.Add(ref x, p)), Vector256.LoadUnsafe(ref column, (nuint)p * stride), even);
                (even + odd).StoreUnsafe(ref y, (nuint)o);
            }
        if (Vector128.IsHardwareAccelerated)
            for (; o + Vector128<T>.Count <= outDim; o += Vector128<T>.Count)
            {
                ref T column = ref Unsafe.Add(ref w, o);
                Vector128<T> even = Vector128.LoadUnsafe(ref b, (nuint)o), odd = Vector128<T>.Zero;
                int p = 0;
                for (; p + 2 <= inDim; p += 2)
                {
                    even = TNumerics.MultiplyAdd(Vector128.Create(Unsafe.Add(ref x, p)), Vector128.LoadUnsafe(ref column, (nuint)p * stride), even);
                    odd = TNumerics.MultiplyAdd(Vector128.Create(Unsafe.Add(ref x, p + 1)), Vector128.LoadUnsafe(ref column, (nuint)(p + 1) * stride), odd);
                }
                if (p < inDim)
                    even = TNumerics.MultiplyAdd(Vector128.Create(Unsafe.Add(ref x, p)), Vector128.LoadUnsafe(ref column, (nuint)p * stride), even);
                (even + odd).StoreUnsafe(ref y, (nuint)o);
            }
        if (TNumerics.IsPortable)
        {
            for (; o < outDim; o++)
                Unsafe.Add(ref y, o) = PairedChains(ref x, ref Unsafe.Add(ref w, o), Unsafe.Add(ref b, o), inDim, outDim);
            return;
        }
        for (; o < outDim; o++)
        {
            T sum = Unsafe.Add(ref b, o);
            for (int p = 0; p < inDim; p++)
                sum = T.FusedMultiplyAdd(Unsafe.Add(ref x, p), Unsafe.Add(ref w, p * outDim + o), sum);
            Unsafe.Add(ref y, o) = sum;
        }
    }

    /// <summary>One output of <see cref="Affine{T, TNumerics}"/> in scalars, rounded as every vector lane rounds it.</summary>
    private static T PairedChains<T>(ref T x, ref T column, T bias, int inDim, int stride) where T : unmanaged, IFloatingPointIeee754<T>
    {
        T even = bias, odd = T.Zero;
        int p = 0;
        for (; p + 2 <= inDim; p += 2)
        {
            even = T.FusedMultiplyAdd(Unsafe.Add(ref x, p), Unsafe.Add(ref column, p * stride), even);
            odd = T.FusedMultiplyAdd(Unsafe.Add(ref x, p + 1), Unsafe.Add(ref column, (p + 1) * stride), odd);
        }
        if (p < inDim)
            even = T.FusedMultiplyAdd(Unsafe.Add(ref x, p), Unsafe.Add(ref column, p * stride), even);
        return even + odd;
    }

    /// <summary>
    /// Backward of one sample when out is a whole number of Vector512s (16–64-wide layers): one pass over the rows
    /// of w computes dx[p] = Σ_o dy[o]·w[p,o] (one horizontal sum per row) and dw[p,:] = (add ? dw[p,:] : 0) + x[p]·dy.
    /// With portable numerics it rounds exactly as <see cref="FixedOrderSum.FusedDot{T}"/> and the portable Axpy do.
    /// </summary>
    public static void BackwardWide<T, TNumerics>(ref T x, ref T w, ref T dy, ref T dx, ref T dw, int inDim, int outDim, bool withDx, bool add)
        where T : unmanaged, IFloatingPointIeee754<T> where TNumerics : struct, IKernelNumerics
    {
        int width = Vector512<T>.Count;
        for (int p = 0; p < inDim; p++)
        {
            Vector512<T> xp = Vector512.Create(Unsafe.Add(ref x, p));
            ref T wRow = ref Unsafe.Add(ref w, p * outDim);
            ref T dwRow = ref Unsafe.Add(ref dw, p * outDim);
            if (withDx)
            {
                Vector512<T> sum = Vector512<T>.Zero;
                for (int o = 0; o < outDim; o += width)
                    sum = TNumerics.MultiplyAdd(Vector512.LoadUnsafe(ref dy, (nuint)o), Vector512.LoadUnsafe(ref wRow, (nuint)o), sum);
                // Vector512.Sum's order is the hardware's; the portable tree is FixedOrderSum.FusedDot's.
                Unsafe.Add(ref dx, p) = TNumerics.IsPortable ? FixedOrderSum.Combine(sum) : Vector512.Sum(sum);
            }
            if (add)
                for (int o = 0; o < outDim; o += width)
                    TNumerics.MultiplyAdd(xp, Vector512.LoadUnsafe(ref dy, (nuint)o), Vector512.LoadUnsafe(ref dwRow, (nuint)o)).StoreUnsafe(ref dwRow, (nuint)o);
            else
                for (int o = 0; o < outDim; o += width)
                    (xp * Vector512.LoadUnsafe(ref dy, (nuint)o)).StoreUnsafe(ref dwRow, (nuint)o);
        }
    }

    /// <summary>Σ_o a[o]·b[o] over <paramref name="length"/> elements, in a fixed order for a given length.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Dot<T>(ref T a, ref T b, int length) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int o = 0;
        T sum = T.Zero;
        if (Vector512.IsHardwareAccelerated && length >= Vector512<T>.Count)
        {
            Vector512<T> acc = Vector512<T>.Zero;
            for (; o + Vector512<T>.Count <= length; o += Vector512<T>.Count)
                acc = SimdOps.Fma(Vector512.LoadUnsafe(ref a, (nuint)o), Vector512.LoadUnsafe(ref b, (nuint)o), acc);
            sum = Vector512.Sum(acc);
        }
        if (Vector256.IsHardwareAccelerated)
            for (; o + Vector256<T>.Count <= length; o += Vector256<T>.Count)
                sum += Vector256.Sum(Vector256.LoadUnsafe(ref a, (nuint)o) * Vector256.LoadUnsafe(ref b, (nuint)o));
        if (Vector128.IsHardwareAccelerated)
            for (; o + Vector128<T>.Count <= length; o += Vector128<T>.Count)
                sum += Vector128.Sum(Vector128.LoadUnsafe(ref a, (nuint)o) * Vector128.LoadUnsafe(ref b, (nuint)o));
        for (; o < length; o++)
            sum = T.FusedMultiplyAdd(Unsafe.Add(ref a, o), Unsafe.Add(ref b, o), sum);
        return sum;
    }

    /// <summary>
    /// y = (add ? y : 0) + alpha·x over <paramref name="length"/> elements; the scalar tail fuses as portable vector lanes do.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Axpy<T, TNumerics>(T alpha, ref T x, ref T y, int length, bool add)
        where T : unmanaged, IFloatingPointIeee754<T> where TNumerics : struct, IKernelNumerics
    {
        int o = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            var a = Vector512.Create(alpha);
            for (; o + Vector512<T>.Count <= length; o += Vector512<T>.Count)
            {
                Vector512<T> v = Vector512.LoadUnsafe(ref x, (nuint)o);
                (add ? TNumerics.MultiplyAdd(a, v, Vector512.LoadUnsafe(ref y, (nuint)o)) : a * v).StoreUnsafe(ref y, (nuint)o);
            }
        }
        if (Vector256.IsHardwareAccelerated)
        {
            var a = Vector256.Create(alpha);
            for (; o + Vector256<T>.Count <= length; o += Vector256<T>.Count)
            {
                Vector256<T> v = Vector256.LoadUnsafe(ref x, (nuint)o);
                (add ? TNumerics.MultiplyAdd(a, v, Vector256.LoadUnsafe(ref y, (nuint)o)) : a * v).StoreUnsafe(ref y, (nuint)o);
            }
        }
        if (Vector128.IsHardwareAccelerated)
        {
            var a = Vector128.Create(alpha);
            for (; o + Vector128<T>.Count <= length; o += Vector128<T>.Count)
            {
                Vector128<T> v = Vector128.LoadUnsafe(ref x, (nuint)o);
                (add ? TNumerics.MultiplyAdd(a, v, Vector128.LoadUnsafe(ref y, (nuint)o)) : a * v).StoreUnsafe(ref y, (nuint)o);
            }
        }
        for (; o < length; o++)
            Unsafe.Add(ref y, o) = add ? T.FusedMultiplyAdd(alpha, Unsafe.Add(ref x, o), Unsafe.Add(ref y, o)) : alpha * Unsafe.Add(ref x, o);
    }

    /// <summary>y = (add ? y : 0) + x over <paramref name="length"/> elements.</summary>
    public static void Add<T>(ref T x, ref T y, int length, bool add) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (!add)
        {
            CopyRow(ref x, ref y, length);
            return;
        }
        int o = 0;
        if (Vector512.IsHardwareAccelerated)
            for (; o + Vector512<T>.Count <= length; o += Vector512<T>.Count)
                (Vector512.LoadUnsafe(ref y, (nuint)o) + Vector512.LoadUnsafe(ref x, (nuint)o)).StoreUnsafe(ref y, (nuint)o);
        for (; o < length; o++)
            Unsafe.Add(ref y, o) += Unsafe.Add(ref x, o);
    }

    private static void CopyRow<T>(ref T from, ref T to, int length) where T : unmanaged
        => Unsafe.CopyBlockUnaligned(ref Unsafe.As<T, byte>(ref to), ref Unsafe.As<T, byte>(ref from), (uint)(length * Unsafe.SizeOf<T>()));
}
