using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace EcsNeural.Systems.Kernels;

/// <summary>
/// The NaN/±∞ scan behind <c>ComputeGraph.CheckFinite</c>, cheap enough for every value and gradient every step, which
/// also gives the largest magnitude (the divergence check bounds SGD steps with it). An IEEE value's magnitude, ordered as
/// an unsigned integer, is its bits with the sign cleared: one AND and one integer max per vector, no branch. ±∞ gives +∞
/// and a NaN gives a NaN (its bits are above +∞'s), so the result is finite exactly when every element is.
/// </summary>
public static class MagnitudeScan
{
    /// <summary>max |x| over <paramref name="values"/> (0 when empty); +∞ or NaN when an element is not finite.</summary>
    public static T Max<T>(ReadOnlySpan<T> values) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (typeof(T) == typeof(float))
        {
            uint bits = MaxBits(MemoryMarshal.Cast<T, uint>(values), 0x7FFF_FFFFu);
            return Unsafe.BitCast<float, T>(BitConverter.UInt32BitsToSingle(bits));
        }
        ulong wide = MaxBits(MemoryMarshal.Cast<T, ulong>(values), 0x7FFF_FFFF_FFFF_FFFFul);
        return Unsafe.BitCast<double, T>(BitConverter.UInt64BitsToDouble(wide));
    }

    /// <summary>The larger of two <see cref="Max{T}"/> results, in the scan's order (a NaN above +∞): the scan of both parts together.</summary>
    public static T Larger<T>(T a, T b) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (typeof(T) == typeof(float))
            return Unsafe.BitCast<T, uint>(a) >= Unsafe.BitCast<T, uint>(b) ? a : b;
        return Unsafe.BitCast<T, ulong>(a) >= Unsafe.BitCast<T, ulong>(b) ? a : b;
    }

    private static TBits MaxBits<TBits>(ReadOnlySpan<TBits> values, TBits mask) where TBits : unmanaged, IBinaryInteger<TBits>, IUnsignedNumber<TBits>
    {
        ref TBits v = ref MemoryMarshal.GetReference(values);
        int n = values.Length, i = 0;
        TBits max = TBits.Zero;
        if (Vector512.IsHardwareAccelerated && n >= Vector512<TBits>.Count)
        {
            int width = Vector512<TBits>.Count;
            Vector512<TBits> m = Vector512.Create(mask);
            Vector512<TBits> a = Vector512<TBits>.Zero, b = a, c = a, d = a;
            for (; i + 4 * width <= n; i += 4 * width)
            {
                a = Vector512.Max(a, Vector512.LoadUnsafe(ref v, (nuint)i) & m);
                b = Vector512.Max(b, Vector512.LoadUnsafe(ref v, (nuint)(i + width)) & m);
                c = Vector512.Max(c, Vector512.LoadUnsafe(ref v, (nuint)(i + 2 * width)) & m);
                d = Vector512.Max(d, Vector512.LoadUnsafe(ref v, (nuint)(i + 3 * width)) & m);
            }
            for (; i + width <= n; i += width)
                a = Vector512.Max(a, Vector512.LoadUnsafe(ref v, (nuint)i) & m);
            Vector512<TBits> all = Vector512.Max(Vector512.Max(a, b), Vector512.Max(c, d));
            max = Reduce(Vector256.Max(all.GetLower(), all.GetUpper()));
        }
        if (Vector256.IsHardwareAccelerated && n - i >= Vector256<TBits>.Count)
        {
            Vector256<TBits> m = Vector256.Create(mask), a = Vector256<TBits>.Zero;
            for (; i + Vector256<TBits>.Count <= n; i += Vector256<TBits>.Count)
                a = Vector256.Max(a, Vector256.LoadUnsafe(ref v, (nuint)i) & m);
            max = TBits.Max(max, Reduce(a));
        }
        for (; i < n; i++)
            max = TBits.Max(max, Unsafe.Add(ref v, i) & mask);
        return max;
    }

    /// <summary>The largest lane, halving the vector down to 128 bits first.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TBits Reduce<TBits>(Vector256<TBits> v) where TBits : unmanaged, IBinaryInteger<TBits>, IUnsignedNumber<TBits>
    {
        Vector128<TBits> half = Vector128.Max(v.GetLower(), v.GetUpper());
        TBits max = half[0];
        for (int k = 1; k < Vector128<TBits>.Count; k++)
            max = TBits.Max(max, half[k]);
        return max;
    }
}
