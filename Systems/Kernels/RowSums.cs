using System.Numerics;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace EcsNeural.Systems.Kernels;

/// <summary>
/// The rows of a row-major [rows × cols] matrix added into one row of cols, rows in order: each element's additions are
/// the ones adding the rows one after another would make, so the bits are that loop's whatever the vector width; but
/// the running sums stay in registers, a few columns' vectors at a time, instead of a call and a store per row (a bias
/// gradient over a 16,384-row batch two columns wide).
/// </summary>
public static class RowSums
{
    /// <summary>sum[j] += Σ_r x[r·cols + j] for r = 0, 1, …, rows − 1 in that order; cols is <paramref name="sum"/>'s length.</summary>
    public static void AddRows<T>(ReadOnlySpan<T> x, int rows, Span<T> sum) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int cols = sum.Length, width = Vector512<T>.Count;
        if ((long)rows * cols > x.Length)
            throw new ArgumentException($"RowSums: {rows} rows of {cols} need {(long)rows * cols} elements; x has {x.Length}.", nameof(x));
        ref T x0 = ref MemoryMarshal.GetReference(x);
        ref T s0 = ref MemoryMarshal.GetReference(sum);
        int j = 0;
        for (; j + 4 * width <= cols; j += 4 * width)
        {
            Vector512<T> a = Vector512.LoadUnsafe(ref s0, (nuint)j), b = Vector512.LoadUnsafe(ref s0, (nuint)(j + width));
            Vector512<T> c = Vector512.LoadUnsafe(ref s0, (nuint)(j + 2 * width)), d = Vector512.LoadUnsafe(ref s0, (nuint)(j + 3 * width));
            for (int r = 0; r < rows; r++)
            {
                nuint at = (nuint)((long)r * cols + j);
                a += Vector512.LoadUnsafe(ref x0, at);
                b += Vector512.LoadUnsafe(ref x0, at + (nuint)width);
                c += Vector512.LoadUnsafe(ref x0, at + (nuint)(2 * width));
                d += Vector512.LoadUnsafe(ref x0, at + (nuint)(3 * width));
            }
            a.StoreUnsafe(ref s0, (nuint)j);
            b.StoreUnsafe(ref s0, (nuint)(j + width));
            c.StoreUnsafe(ref s0, (nuint)(j + 2 * width));
            d.StoreUnsafe(ref s0, (nuint)(j + 3 * width));
        }
        for (; j + width <= cols; j += width)
        {
            Vector512<T> a = Vector512.LoadUnsafe(ref s0, (nuint)j);
            for (int r = 0; r < rows; r++)
                a += Vector512.LoadUnsafe(ref x0, (nuint)((long)r * cols + j));
            a.StoreUnsafe(ref s0, (nuint)j);
        }
        for (; j < cols; j++)
        {
            T a = sum[j];
            for (int r = 0; r < rows; r++)
                a += x[r * cols + j];
            sum[j] = a;
        }
    }
}
