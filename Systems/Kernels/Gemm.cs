using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace EcsNeural.Systems.Kernels;

/// <summary>
/// General matrix multiply on row-major spans: <c>C[m×n] = (accumulate ? C : 0) + op(A)·op(B)</c>,
/// where <c>op(X)</c> is <c>Xᵀ</c> when the matching transpose flag is set.
/// </summary>
/// <remarks>
/// A is stored m×k (k×m when <c>transposeA</c>), B is stored k×n (n×k when <c>transposeB</c>), C is m×n;
/// leading dimensions are the stored row lengths. Generic over <c>float</c> and <c>double</c> so the
/// float64 gradient-check path runs the same code. Large products run the cache-blocked packed path
/// (<see cref="PackedGemm"/>), weight-gradient shapes (Aᵀ·B, small C, deep k) the unpacked chunked one
/// (<see cref="DeepGemm"/>; AVX-512 only); small ones, and machines without 256-bit vectors, run a direct row-times-panel
/// loop vectorised with <see cref="Vector{T}"/> (on AVX2 the packed path runs its 256-bit tile); in <see cref="NumericsMode.Portable"/> every product runs the packed path with
/// every multiply-add fused, the same bits on every CPU. C must not overlap A or B. Calls on different threads may run at
/// the same time (packing buffers are per thread), e.g. disjoint row ranges of one product as parallel jobs.
/// </remarks>
public static class Gemm
{
    /// <summary>Computes all m rows of <c>C = (accumulate ? C : 0) + op(A)·op(B)</c>.</summary>
    /// <param name="a">A, stored m×k, or k×m when <paramref name="transposeA"/>.</param>
    /// <param name="transposeA">Use Aᵀ.</param>
    /// <param name="b">B, stored k×n, or n×k when <paramref name="transposeB"/>.</param>
    /// <param name="transposeB">Use Bᵀ.</param>
    /// <param name="c">C, stored m×n.</param>
    /// <param name="m">Rows of C.</param>
    /// <param name="n">Columns of C.</param>
    /// <param name="k">Inner dimension.</param>
    /// <param name="accumulate">Add to C instead of overwriting it.</param>
    /// <param name="numerics">How the product may round (see <see cref="NumericsMode"/>).</param>
    public static void Multiply<T>(ReadOnlySpan<T> a, bool transposeA, ReadOnlySpan<T> b, bool transposeB,
        Span<T> c, int m, int n, int k, bool accumulate, NumericsMode numerics = NumericsMode.Fast) where T : unmanaged, IFloatingPointIeee754<T>
        => MultiplyRows(a, transposeA, b, transposeB, c, m, n, k, accumulate, 0, m, numerics);

    /// <summary>
    /// Computes only the output rows <c>[rowStart, rowEnd)</c> of <see cref="Multiply{T}"/>, so a caller can split
    /// a large product into fixed-size row blocks run as parallel jobs. Rows outside the range are not touched.
    /// </summary>
    /// <param name="a">A, stored m×k, or k×m when <paramref name="transposeA"/>.</param>
    /// <param name="transposeA">Use Aᵀ.</param>
    /// <param name="b">B, stored k×n, or n×k when <paramref name="transposeB"/>.</param>
    /// <param name="transposeB">Use Bᵀ.</param>
    /// <param name="c">C, stored m×n.</param>
    /// <param name="m">Rows of C.</param>
    /// <param name="n">Columns of C.</param>
    /// <param name="k">Inner dimension.</param>
    /// <param name="accumulate">Add to C instead of overwriting it.</param>
    /// <param name="rowStart">First output row computed.</param>
    /// <param name="rowEnd">One past the last output row computed.</param>
    /// <param name="numerics">How the product may round (see <see cref="NumericsMode"/>).</param>
    public static void MultiplyRows<T>(ReadOnlySpan<T> a, bool transposeA, ReadOnlySpan<T> b, bool transposeB,
        Span<T> c, int m, int n, int k, bool accumulate, int rowStart, int rowEnd, NumericsMode numerics = NumericsMode.Fast)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Validate(a.Length, b.Length, c.Length, m, n, k, rowStart, rowEnd);
        if (rowStart == rowEnd || n == 0)
            return;
        switch (Route<T>(transposeA, transposeB, m, n, k, numerics))
        {
            case Path.Empty:
                if (!accumulate)
                    c.Slice(rowStart * n, (rowEnd - rowStart) * n).Clear();
                return;
            case Path.Deep:
                DeepGemm.MultiplyRows(a, b, c, m, n, k, accumulate, rowStart, rowEnd);
                return;
            case Path.Narrow:
                NarrowGemm.MultiplyRows(a, b, transposeB, c, n, k, accumulate, rowStart, rowEnd);
                return;
            case Path.Packed:
                MultiplyRowsPacked(a, transposeA, b, transposeB, c, m, n, k, accumulate, rowStart, rowEnd, numerics, wholeB: default);
                return;
        }
        // Path.Direct: small products, and machines without 256-bit vectors, row by row.
        if (!accumulate)
            c.Slice(rowStart * n, (rowEnd - rowStart) * n).Clear();
        for (int i = rowStart; i < rowEnd; i++)
        {
            Span<T> cRow = c.Slice(i * n, n);
            if (transposeB)
            {
                for (int j = 0; j < n; j++)
                {
                    T sum = T.Zero;
                    ReadOnlySpan<T> bRow = b.Slice(j * k, k);
                    for (int p = 0; p < k; p++)
                        sum += ElementOfA(a, transposeA, i, p, m, k) * bRow[p];
                    cRow[j] += sum;
                }
            }
            else
            {
                for (int p = 0; p < k; p++)
                    AddScaled(cRow, b.Slice(p * n, n), ElementOfA(a, transposeA, i, p, m, k));
            }
        }
    }

    /// <summary>Which kernel a product runs: by shape, transposes and numerics alone, never by the row range, so row blocks
    /// reproduce the whole product.</summary>
    private enum Path { Empty, Deep, Narrow, Packed, Direct }

    private static Path Route<T>(bool transposeA, bool transposeB, int m, int n, int k, NumericsMode numerics)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (k == 0)
            return Path.Empty;
        // Portable numerics: one path whatever the CPU or the size, the packed kernel with every multiply-add fused. Each
        // element of C is (accumulate ? C : 0) plus, depth block after depth block (the blocks follow from k alone), a
        // chain of fused multiply-adds from zero, so no lane width, tile or instruction set changes its bits.
        if (numerics == NumericsMode.Portable)
            return Path.Packed;
        if (DeepGemm.Fits<T>(transposeA, transposeB, m, n, k))
            return Path.Deep;
        if (!PackedGemm.IsFaster || (long)m * n * k < PackedGemm.MinimumWork)
            return Path.Direct;
        // A narrow C (at most one Vector512 of columns, e.g. a 10-class output layer) as dot products along k.
        return !transposeA && n <= Vector512<T>.Count && k >= Vector512<T>.Count ? Path.Narrow : Path.Packed;
    }

    /// <summary>
    /// Whether rows of this product run the packed kernel reading op(B) packed whole, so that a caller splitting the rows
    /// into jobs can pack op(B) once for all of them (<see cref="PackedGemm.PackWholeB{T}"/>) instead of each job packing
    /// all of it again; worth it when op(B) is big (W5's weight gradients pack 16 MB of dy, eight times).
    /// </summary>
    internal static bool SharesPackedB<T>(bool transposeA, bool transposeB, int m, int n, int k, NumericsMode numerics)
        where T : unmanaged, IFloatingPointIeee754<T>
        => (long)n * k >= PackedGemm.MinimumSharedB && Route<T>(transposeA, transposeB, m, n, k, numerics) == Path.Packed && PackedGemm.PacksB<T>(m, n);

    /// <summary>
    /// Rows [rowStart, rowEnd) on the packed kernel; with <paramref name="wholeB"/> (op(B) packed by
    /// <see cref="PackedGemm.PackWholeB{T}"/>, for a product <see cref="SharesPackedB{T}"/> allows) nothing of B is packed again.
    /// </summary>
    internal static void MultiplyRowsPacked<T>(ReadOnlySpan<T> a, bool transposeA, ReadOnlySpan<T> b, bool transposeB, Span<T> c,
        int m, int n, int k, bool accumulate, int rowStart, int rowEnd, NumericsMode numerics, ReadOnlySpan<T> wholeB)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (numerics == NumericsMode.Portable)
            PackedGemm.MultiplyRows<T, PortableNumerics>(a, transposeA, b, transposeB, c, m, n, k, accumulate, rowStart, rowEnd, wholeB);
        else
            PackedGemm.MultiplyRows<T, FastNumerics>(a, transposeA, b, transposeB, c, m, n, k, accumulate, rowStart, rowEnd, wholeB);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static T ElementOfA<T>(ReadOnlySpan<T> a, bool transposeA, int i, int p, int m, int k)
        => transposeA ? a[p * m + i] : a[i * k + p];

    /// <summary>y += alpha·x, vectorised.</summary>
    private static void AddScaled<T>(Span<T> y, ReadOnlySpan<T> x, T alpha) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int j = 0;
        if (Vector.IsHardwareAccelerated && y.Length >= Vector<T>.Count)
        {
            Span<Vector<T>> yv = MemoryMarshal.Cast<T, Vector<T>>(y);
            ReadOnlySpan<Vector<T>> xv = MemoryMarshal.Cast<T, Vector<T>>(x);
            var av = new Vector<T>(alpha);
            for (int v = 0; v < yv.Length; v++)
                yv[v] += av * xv[v];
            j = yv.Length * Vector<T>.Count;
        }
        for (; j < y.Length; j++)
            y[j] += alpha * x[j];
    }

    private static void Validate(int aLength, int bLength, int cLength, int m, int n, int k, int rowStart, int rowEnd)
    {
        if (m < 0 || n < 0 || k < 0)
            throw new ArgumentOutOfRangeException(nameof(m), $"Gemm: dimensions must be non-negative, got m={m}, n={n}, k={k}.");
        if ((long)m * k > aLength)
            throw new ArgumentException($"Gemm: A holds {aLength} elements but m·k = {m}·{k} = {(long)m * k} are needed.", "a");
        if ((long)k * n > bLength)
            throw new ArgumentException($"Gemm: B holds {bLength} elements but k·n = {k}·{n} = {(long)k * n} are needed.", "b");
        if ((long)m * n > cLength)
            throw new ArgumentException($"Gemm: C holds {cLength} elements but m·n = {m}·{n} = {(long)m * n} are needed.", "c");
        if (rowStart < 0 || rowEnd > m || rowStart > rowEnd)
            throw new ArgumentOutOfRangeException(nameof(rowStart), $"Gemm: row range [{rowStart}, {rowEnd}) is not inside [0, {m}].");
    }
}
