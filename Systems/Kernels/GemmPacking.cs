using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace EcsNeural.Systems.Kernels;

/// <summary>
/// Copies blocks of op(A) and op(B) into the panel layouts the micro-kernel streams through, so the kernel sees
/// unit-stride data whatever the transpose flags, and partial panels are zero-padded (the kernel never branches
/// on edges; zero padding adds exact zeros, so results do not depend on where a block boundary falls).
/// </summary>
internal static class GemmPacking
{
    /// <summary>
    /// Packs rows [rowStart, rowStart+rows) × columns [pStart, pStart+depth) of op(A) into panels of
    /// <paramref name="panelRows"/> rows: panel q holds, for each p, its rows' values contiguously.
    /// </summary>
    public static void PackA<T>(ReadOnlySpan<T> a, bool transposeA, int m, int k, int rowStart, int rows, int pStart, int depth,
        Span<T> packed, int panelRows) where T : unmanaged
    {
        ref T src = ref MemoryMarshal.GetReference(a);
        ref T dst = ref MemoryMarshal.GetReference(packed);
        for (int q = 0; q < rows; q += panelRows)
        {
            int valid = Math.Min(panelRows, rows - q);
            ref T panel = ref Unsafe.Add(ref dst, q * depth);
            if (valid < panelRows)
                packed.Slice(q * depth, panelRows * depth).Clear();
            if (transposeA)
            {
                // A is stored k×m: op(A)(i, p) = a[p·m + i]; each p gives `valid` contiguous values.
                for (int p = 0; p < depth; p++)
                {
                    ref T from = ref Unsafe.Add(ref src, (nint)(pStart + p) * m + rowStart + q);
                    ref T to = ref Unsafe.Add(ref panel, p * panelRows);
                    for (int r = 0; r < valid; r++)
                        Unsafe.Add(ref to, r) = Unsafe.Add(ref from, r);
                }
            }
            else
            {
                // A is stored m×k: op(A)(i, p) = a[i·k + p]; read each row contiguously, write with stride panelRows.
                for (int r = 0; r < valid; r++)
                {
                    ref T from = ref Unsafe.Add(ref src, (nint)(rowStart + q + r) * k + pStart);
                    ref T to = ref Unsafe.Add(ref panel, r);
                    for (int p = 0; p < depth; p++)
                        Unsafe.Add(ref to, p * panelRows) = Unsafe.Add(ref from, p);
                }
            }
        }
    }

    /// <summary>
    /// Packs rows [pStart, pStart+depth) × columns [colStart, colStart+cols) of op(B) into panels of
    /// <paramref name="panelCols"/> columns: panel q holds, for each p, its columns' values contiguously.
    /// </summary>
    public static void PackB<T>(ReadOnlySpan<T> b, bool transposeB, int n, int k, int pStart, int depth, int colStart, int cols,
        Span<T> packed, int panelCols) where T : unmanaged
    {
        ref T src = ref MemoryMarshal.GetReference(b);
        ref T dst = ref MemoryMarshal.GetReference(packed);
        for (int q = 0; q < cols; q += panelCols)
        {
            int valid = Math.Min(panelCols, cols - q);
            ref T panel = ref Unsafe.Add(ref dst, q * depth);
            if (valid < panelCols)
                packed.Slice(q * depth, panelCols * depth).Clear();
            if (transposeB)
            {
                // B is stored n×k: op(B)(p, j) = b[j·k + p]; read each stored row contiguously.
                for (int c = 0; c < valid; c++)
                {
                    ref T from = ref Unsafe.Add(ref src, (nint)(colStart + q + c) * k + pStart);
                    ref T to = ref Unsafe.Add(ref panel, c);
                    for (int p = 0; p < depth; p++)
                        Unsafe.Add(ref to, p * panelCols) = Unsafe.Add(ref from, p);
                }
            }
            else
            {
                // B is stored k×n: op(B)(p, j) = b[p·n + j]; each p gives `valid` contiguous values.
                for (int p = 0; p < depth; p++)
                {
                    ReadOnlySpan<T> from = b.Slice((pStart + p) * n + colStart + q, valid);
                    from.CopyTo(packed.Slice(q * depth + p * panelCols, valid));
                }
            }
        }
    }
}
