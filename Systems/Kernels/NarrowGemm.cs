using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace EcsNeural.Systems.Kernels;

/// <summary>
/// C = (accumulate ? C : 0) + A·op(B) for row-major A and a narrow C (a few columns, e.g. a 10-class output
/// layer): every element is a dot product of a row of A with a column of op(B), vectorised along k. A is read once,
/// straight from memory (packing it would cost more than the arithmetic); the columns of op(B) are made contiguous
/// once per call. Four rows share each load of op(B).
/// </summary>
internal static class NarrowGemm
{
    private const int RowsPerPass = 4;

    public static void MultiplyRows<T>(ReadOnlySpan<T> a, ReadOnlySpan<T> b, bool transposeB, Span<T> c,
        int n, int k, bool accumulate, int rowStart, int rowEnd) where T : unmanaged, IFloatingPointIeee754<T>
    {
        // Columns of op(B) as rows of length k: B itself when stored n×k, else a transposed copy.
        ReadOnlySpan<T> columns = b;
        if (!transposeB)
        {
            Span<T> copy = GemmWorkspace<T>.PackedB(n * k).AsSpan(0, n * k);
            for (int p = 0; p < k; p++)
                for (int j = 0; j < n; j++)
                    copy[j * k + p] = b[p * n + j];
            columns = copy;
        }
        ref T a0 = ref MemoryMarshal.GetReference(a);
        ref T col0 = ref MemoryMarshal.GetReference(columns);
        ref T c0 = ref MemoryMarshal.GetReference(c);
        int width = Vector512<T>.Count;
        int vectorEnd = k - k % width;
        for (int i = rowStart; i < rowEnd; i += RowsPerPass)
        {
            // Rows past rowEnd re-read the last row and are not stored: one code path, identical arithmetic per row.
            int valid = Math.Min(RowsPerPass, rowEnd - i);
            ref T r0 = ref Unsafe.Add(ref a0, (nint)i * k);
            ref T r1 = ref Unsafe.Add(ref a0, (nint)(i + Math.Min(1, valid - 1)) * k);
            ref T r2 = ref Unsafe.Add(ref a0, (nint)(i + Math.Min(2, valid - 1)) * k);
            ref T r3 = ref Unsafe.Add(ref a0, (nint)(i + Math.Min(3, valid - 1)) * k);
            for (int j = 0; j < n; j++)
            {
                ref T col = ref Unsafe.Add(ref col0, (nint)j * k);
                Vector512<T> s0 = Vector512<T>.Zero, s1 = s0, s2 = s0, s3 = s0;
                for (int p = 0; p < vectorEnd; p += width)
                {
                    Vector512<T> bv = Vector512.LoadUnsafe(ref col, (nuint)p);
                    s0 = SimdOps.Fma(Vector512.LoadUnsafe(ref r0, (nuint)p), bv, s0);
                    s1 = SimdOps.Fma(Vector512.LoadUnsafe(ref r1, (nuint)p), bv, s1);
                    s2 = SimdOps.Fma(Vector512.LoadUnsafe(ref r2, (nuint)p), bv, s2);
                    s3 = SimdOps.Fma(Vector512.LoadUnsafe(ref r3, (nuint)p), bv, s3);
                }
                Store(ref c0, i, j, n, valid, 0, Finish(s0, ref r0, ref col, vectorEnd, k), accumulate);
                Store(ref c0, i, j, n, valid, 1, Finish(s1, ref r1, ref col, vectorEnd, k), accumulate);
                Store(ref c0, i, j, n, valid, 2, Finish(s2, ref r2, ref col, vectorEnd, k), accumulate);
                Store(ref c0, i, j, n, valid, 3, Finish(s3, ref r3, ref col, vectorEnd, k), accumulate);
            }
        }
    }

    /// <summary>Horizontal sum of the vector part, then the scalar tail p ∈ [vectorEnd, k).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static T Finish<T>(Vector512<T> sum, ref T row, ref T col, int vectorEnd, int k) where T : unmanaged, IFloatingPointIeee754<T>
    {
        T total = Vector512.Sum(sum);
        for (int p = vectorEnd; p < k; p++)
            total = T.FusedMultiplyAdd(Unsafe.Add(ref row, p), Unsafe.Add(ref col, p), total);
        return total;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store<T>(ref T c0, int i, int j, int n, int valid, int r, T value, bool accumulate)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (r >= valid)
            return;
        ref T target = ref Unsafe.Add(ref c0, (nint)(i + r) * n + j);
        target = accumulate ? target + value : value;
    }
}
