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

    /// <summary>
    /// y[r] = <see cref="Sum{T}"/> of row r of x (rows of <paramref name="cols"/>). Rows of one or two elements are summed
    /// in place of the vector pass, with its bits: adding −0 changes nothing, so the tree leaves x₀, or x₀ + x₁.
    /// </summary>
    public static void SumRows<T>(ReadOnlySpan<T> x, int cols, Span<T> y) where T : unmanaged, IFloatingPointIeee754<T>
    {
        switch (cols)
        {
            case 1:
                x[..y.Length].CopyTo(y);
                return;
            case 2:
                for (int r = 0; r < y.Length; r++)
                    y[r] = x[2 * r] + x[2 * r + 1];
                return;
            default:
                for (int r = 0; r < y.Length; r++)
                    y[r] = Sum(x.Slice(r * cols, cols));
                return;
        }
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
    /// dots[r] = <see cref="FusedDot{T}"/>(x, row r of <paramref name="matrix"/>) for the <paramref name="rows"/> rows of a
    /// row-major [rows × length] matrix. Rows of 2, 4 or 8 elements (floats; 2 or 4 doubles) are packed several to a vector:
    /// one fused multiply per lane, then the tree as lane l plus lane l ⊕ h within each row (XOR shuffles), which adds the
    /// same lanes in the same order as the scalar tree.
    /// </summary>
    [SkipLocalsInit]
    internal static void FusedRowDots<T>(ref T x, ref T matrix, ref T dots, int rows, int length) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int width = Vector512<T>.Count, r = 0;
        if (length >= 2 && length < width && BitOperations.IsPow2(length) && rows * length >= width)
        {
            Span<T> pattern = stackalloc T[width];
            for (int l = 0; l < width; l++)
                pattern[l] = Unsafe.Add(ref x, l % length);
            Vector512<T> repeated = Vector512.Create((ReadOnlySpan<T>)pattern);
            int perVector = width / length;
            for (; r + perVector <= rows; r += perVector)
            {
                Vector512<T> lanes = FusedLanes.MultiplyAdd(Vector512.LoadUnsafe(ref matrix, (nuint)(r * length)), repeated, Vector512<T>.Zero);
                // The scalar tree's steps for this length (half = length/2, …, 1), unrolled so each shuffle is a constant.
                if (length == 8)
                    lanes += SwapLanes(lanes, 4);
                if (length >= 4)
                    lanes += SwapLanes(lanes, 2);
                lanes += SwapLanes(lanes, 1);
                for (int k = 0; k < perVector; k++)
                    Unsafe.Add(ref dots, r + k) = lanes.GetElement(k * length);
            }
        }
        for (; r < rows; r++)
            Unsafe.Add(ref dots, r) = FusedDot(ref x, ref Unsafe.Add(ref matrix, r * length), length);
    }

    /// <summary>Lane l takes lane l ⊕ <paramref name="half"/> (a power of two): each row's upper part moved onto its lower part.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<T> SwapLanes<T>(Vector512<T> v, int half) where T : unmanaged
    {
        if (typeof(T) == typeof(float))
        {
            Vector512<int> indices = half switch
            {
                1 => Vector512.Create(1, 0, 3, 2, 5, 4, 7, 6, 9, 8, 11, 10, 13, 12, 15, 14),
                2 => Vector512.Create(2, 3, 0, 1, 6, 7, 4, 5, 10, 11, 8, 9, 14, 15, 12, 13),
                _ => Vector512.Create(4, 5, 6, 7, 0, 1, 2, 3, 12, 13, 14, 15, 8, 9, 10, 11),
            };
            return Vector512.Shuffle(v.AsSingle(), indices).As<float, T>();
        }
        if (typeof(T) == typeof(double))
        {
            Vector512<long> indices = half == 1 ? Vector512.Create(1L, 0, 3, 2, 5, 4, 7, 6) : Vector512.Create(2L, 3, 0, 1, 6, 7, 4, 5);
            return Vector512.Shuffle(v.AsDouble(), indices).As<double, T>();
        }
        throw new NotSupportedException($"FixedOrderSum runs on float and double, not {typeof(T).Name}.");
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
