using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace EcsNeural.Systems.Kernels;

/// <summary>
/// Sums and dot products whose rounding is fixed by the length alone: element i goes to partial sum i mod L, L being one
/// 64-byte vector's lanes (16 floats, 8 doubles) whatever the CPU's vector width; the partial sums are then combined in
/// a fixed halving tree (lane l with lane l + L/2, down to one). No fused multiply-add, so no instruction-set level
/// changes a result; the same bits at any address and on any CPU.
/// </summary>
public static class FixedOrderSum
{
    /// <summary>Σ x.</summary>
    public static T Sum<T>(ReadOnlySpan<T> x) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int width = Vector512<T>.Count, whole = x.Length - x.Length % width;
        ref T x0 = ref MemoryMarshal.GetReference(x);
        // −0 is the additive identity of every float, −0 included, so the empty lanes change nothing.
        Vector512<T> sum = Vector512.Create(T.NegativeZero);
        for (int i = 0; i < whole; i += width)
            sum += Vector512.LoadUnsafe(ref x0, (nuint)i);
        if (whole < x.Length)
            sum += Tail(x[whole..], T.NegativeZero);
        return Combine(sum);
    }

    /// <summary>Σ a·b (each product rounded, then added).</summary>
    public static T Dot<T>(ReadOnlySpan<T> a, ReadOnlySpan<T> b) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (a.Length != b.Length)
            throw new ArgumentException($"FixedOrderSum.Dot: a holds {a.Length} elements, b {b.Length}; they must be the same length.", nameof(b));
        int width = Vector512<T>.Count, whole = a.Length - a.Length % width;
        ref T a0 = ref MemoryMarshal.GetReference(a), b0 = ref MemoryMarshal.GetReference(b);
        Vector512<T> sum = Vector512.Create(T.NegativeZero);
        for (int i = 0; i < whole; i += width)
            sum += Vector512.LoadUnsafe(ref a0, (nuint)i) * Vector512.LoadUnsafe(ref b0, (nuint)i);
        if (whole < a.Length)
            sum += Tail(a[whole..], T.NegativeZero) * Tail(b[whole..], T.Zero);   // −0·(+0) = −0 again
        return Combine(sum);
    }

    /// <summary>
    /// Σ a·b over <paramref name="length"/> elements with fused multiply-adds (the portable kernels' dot product): element i
    /// goes into partial i mod L (each from +0), then the halving tree runs over the partials any element reached.
    /// </summary>
    [SkipLocalsInit]
    internal static T FusedDot<T>(ref T a, ref T b, int length) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int width = Vector512<T>.Count, whole = length - length % width;
        Vector512<T> sum = Vector512<T>.Zero;
        for (int i = 0; i < whole; i += width)
            sum = FusedLanes.MultiplyAdd(Vector512.LoadUnsafe(ref a, (nuint)i), Vector512.LoadUnsafe(ref b, (nuint)i), sum);
        if (whole == length)
            return Combine(sum);
        Span<T> lanes = stackalloc T[width];
        if (whole == 0)
        {
            // A short row (a 4- or 8-wide output layer): each lane holds one product, and the tree reads only those lanes.
            for (int i = 0; i < length; i++)
                lanes[i] = T.FusedMultiplyAdd(Unsafe.Add(ref a, i), Unsafe.Add(ref b, i), T.Zero);
            return CombineLanes(lanes, length);
        }
        sum.StoreUnsafe(ref MemoryMarshal.GetReference(lanes));
        for (int i = whole; i < length; i++)
            lanes[i - whole] = T.FusedMultiplyAdd(Unsafe.Add(ref a, i), Unsafe.Add(ref b, i), lanes[i - whole]);
        return CombineLanes(lanes, width);
    }

    /// <summary>
    /// <see cref="Combine{T}"/> over the first <paramref name="used"/> lanes in scalars, skipping the additions of lanes no
    /// element reached (a short dot product costs a few additions, not a full tree).
    /// </summary>
    internal static T CombineLanes<T>(Span<T> lanes, int used) where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int half = lanes.Length / 2; half >= 1; half /= 2)
        {
            for (int l = 0; l < half && l + half < used; l++)
                lanes[l] += lanes[l + half];
            used = Math.Min(used, half);
        }
        return lanes[0];
    }

    /// <summary>The partial sums' halving tree: lanes l and l + L/2 are added until one lane is left.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static T Combine<T>(Vector512<T> partials) where T : unmanaged, IFloatingPointIeee754<T>
    {
        Vector256<T> half = partials.GetLower() + partials.GetUpper();
        Vector128<T> quarter = half.GetLower() + half.GetUpper();
        if (Vector128<T>.Count == 2)
            return quarter.GetElement(0) + quarter.GetElement(1);
        return (quarter.GetElement(0) + quarter.GetElement(2)) + (quarter.GetElement(1) + quarter.GetElement(3));
    }

    [SkipLocalsInit]
    private static Vector512<T> Tail<T>(ReadOnlySpan<T> rest, T padding) where T : unmanaged
    {
        Span<T> lanes = stackalloc T[Vector512<T>.Count];
        lanes.Fill(padding);
        rest.CopyTo(lanes);
        return Vector512.Create((ReadOnlySpan<T>)lanes);
    }
}
