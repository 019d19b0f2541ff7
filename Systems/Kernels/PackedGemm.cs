using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace EcsNeural.Systems.Kernels;

/// <summary>
/// Cache-blocked GEMM (Goto/BLIS loop order): a depth block of op(B) is packed once per call into panels that
/// stay in L2/L3, row blocks of op(A) are packed into panels that stay in L2, and <see cref="GemmMicroKernel"/>
/// streams one A panel against one B panel (the B panel stays in L1) into a tile of C (8 × 2 vectors, or 6 × 2 without AVX-512).
/// </summary>
/// <remarks>
/// Every element of C sums its depth blocks in the same order with the same padding, whatever row range the call
/// covers, so <see cref="Gemm.MultiplyRows{T}"/> over any partition reproduces the whole product bit for bit.
/// </remarks>
internal static class PackedGemm
{
    /// <summary>
    /// Largest depth (k) of one packed block; k is split into equal blocks no deeper than this (784 → 3 × 262), so
    /// no thin last block pays a full C read-modify-write for a few steps. Measured 256–384 best on Zen 4.
    /// </summary>
    private const int MaxDepthBlock = 384;

    /// <summary>Rows of op(A) packed at once, 16 kernel tiles: 128 (or 96) × 384 floats = 192 KB (144 KB), in L2.</summary>
    private static int RowBlock => 16 * GemmMicroKernel.Rows;

    /// <summary>Columns of op(B) packed at once: up to 384 × 2048 floats = 3 MB per thread, in L3.</summary>
    private const int ColumnBlock = 2048;

    /// <summary>
    /// Up to this many column panels, whole panels of row-major A are not packed: packing a dense layer's 256 × 64 input
    /// block cost about as much as multiplying it by a 64-column weight matrix, and two panels barely reuse the copy.
    /// </summary>
    private const int DirectAColumns = 2;

    /// <summary>Whether this machine runs the packed AVX-512 path at all.</summary>
    public static bool IsSupported => Vector512.IsHardwareAccelerated && Avx512F.IsSupported;

    /// <summary>
    /// Whether the packed path beats the plain row loop on this machine: with AVX-512, or with 256-bit vectors and the
    /// kernel's 256-bit tile (a CPU without AVX-512 ran W5 in 3.2 s a step on the row loop, 0.55 s on the packed kernel
    /// run as 256-bit pairs).
    /// </summary>
    public static bool IsFaster => IsSupported || Vector256.IsHardwareAccelerated;

    /// <summary>Products smaller than this (m·n·k) are cheaper without packing.</summary>
    public const long MinimumWork = 16 * 16 * 16;

    /// <summary>
    /// Elements of op(B) (k·n) from which row jobs share one packed copy (<see cref="PackWholeB{T}"/>): below it a
    /// separate packing pass costs more than the copies it saves (a PPO layer's 64 × 64 weights).
    /// </summary>
    public const long MinimumSharedB = 1 << 16;

    /// <summary>Whether the product runs with op(B) as the packed operand (not as Cᵀ, see <see cref="MultiplyRows{T, TNumerics}"/>).</summary>
    public static bool PacksB<T>(int m, int n) => !(2 * n <= GemmMicroKernel.Columns<T>() && m > n);

    /// <summary>Depth blocks the inner dimension is cut into: equal, no deeper than <see cref="MaxDepthBlock"/>, from k alone.</summary>
    public static int DepthBlocks(int k) => DivideRoundingUp(k, MaxDepthBlock);

    /// <summary>Elements of op(B) packed whole: every column block's panels, every depth block.</summary>
    public static int WholeBLength<T>(int n, int k) => RoundUp(n, GemmMicroKernel.Columns<T>()) * k;

    /// <summary>
    /// Packs depth blocks [firstBlock, endBlock) of op(B), all its columns, into <paramref name="whole"/> where
    /// <see cref="MultiplyRows{T, TNumerics}"/> reads them when given it: the same panels each call would pack for itself.
    /// </summary>
    public static void PackWholeB<T>(ReadOnlySpan<T> b, bool transposeB, int n, int k, Span<T> whole, int firstBlock, int endBlock)
        where T : unmanaged
    {
        int depthBlock = DepthBlock(k), panelCols = GemmMicroKernel.Columns<T>();
        for (int jc = 0; jc < n; jc += ColumnBlock)
        {
            int nc = Math.Min(ColumnBlock, n - jc);
            for (int block = firstBlock; block < endBlock; block++)
            {
                int pc = block * depthBlock, kc = Math.Min(depthBlock, k - pc);
                GemmPacking.PackB(b, transposeB, n, k, pc, kc, jc, nc, whole.Slice(WholeBOffset<T>(jc, pc, nc, k), kc * RoundUp(nc, panelCols)), panelCols);
            }
        }
    }

    /// <summary>Where depth block <paramref name="pc"/> of column block <paramref name="jc"/> (of <paramref name="nc"/> columns) sits in a whole packed op(B).</summary>
    private static int WholeBOffset<T>(int jc, int pc, int nc, int k) => jc * k + pc * RoundUp(nc, GemmMicroKernel.Columns<T>());

    private static int DepthBlock(int k) => DivideRoundingUp(k, DepthBlocks(k));

    /// <summary>
    /// Rows [rowStart, rowEnd) of C = (accumulate ? C : 0) + op(A)·op(B). A narrow C (fewer columns than half a
    /// micro-tile, e.g. a 10-class output layer; with row-major A <see cref="NarrowGemm"/> takes it instead) is
    /// computed as Cᵀ = op(B)ᵀ·op(A)ᵀ so the vector lanes run along the long side; the choice depends only on
    /// the shape. With <paramref name="wholeB"/> (op(B) packed by <see cref="PackWholeB{T}"/>; only when
    /// <see cref="PacksB{T}"/>) nothing of B is packed again.
    /// </summary>
    public static void MultiplyRows<T, TNumerics>(ReadOnlySpan<T> a, bool transposeA, ReadOnlySpan<T> b, bool transposeB,
        Span<T> c, int m, int n, int k, bool accumulate, int rowStart, int rowEnd, ReadOnlySpan<T> wholeB = default)
        where T : unmanaged where TNumerics : struct, IKernelNumerics
    {
        if (!PacksB<T>(m, n))
            // Cᵀ (n×m) = op(B)ᵀ·op(A)ᵀ; op(B)ᵀ is b read with the opposite flag, likewise op(A)ᵀ. Element (j, i) of
            // Cᵀ lives at c[i·n + j]: row stride 1, column stride n.
            Blocked<T, TNumerics>(b, !transposeB, a, !transposeA, c, n, m, k, accumulate, 0, n, rowStart, rowEnd, 1, n, wholeB: default);
        else
            Blocked<T, TNumerics>(a, transposeA, b, transposeB, c, m, n, k, accumulate, rowStart, rowEnd, 0, n, n, 1, wholeB);
    }

    /// <summary>
    /// The blocked loop nest over the sub-block [rowStart,rowEnd)×[colStart,colEnd) of the m×n product, writing
    /// element (i, j) to c[i·rowStride + j·colStride].
    /// </summary>
    private static void Blocked<T, TNumerics>(ReadOnlySpan<T> a, bool transposeA, ReadOnlySpan<T> b, bool transposeB, Span<T> c,
        int m, int n, int k, bool accumulate, int rowStart, int rowEnd, int colStart, int colEnd, int rowStride, int colStride,
        ReadOnlySpan<T> wholeB)
        where T : unmanaged where TNumerics : struct, IKernelNumerics
    {
        int panelCols = GemmMicroKernel.Columns<T>();
        int panelRows = GemmMicroKernel.Rows;
        int depthBlock = DepthBlock(k);
        Span<T> packedB = wholeB.IsEmpty ? GemmWorkspace<T>.PackedB(depthBlock * Math.Min(ColumnBlock, RoundUp(colEnd - colStart, panelCols))) : default;
        Span<T> packedA = GemmWorkspace<T>.PackedA(depthBlock * Math.Min(RowBlock, RoundUp(rowEnd - rowStart, panelRows)));
        ref T cBase = ref MemoryMarshal.GetReference(c);
        ref T aBase = ref MemoryMarshal.GetReference(a);

        for (int jc = colStart; jc < colEnd; jc += ColumnBlock)
        {
            int nc = Math.Min(ColumnBlock, colEnd - jc);
            for (int pc = 0; pc < k; pc += depthBlock)
            {
                int kc = Math.Min(depthBlock, k - pc);
                ReadOnlySpan<T> bBlock = packedB;
                if (wholeB.IsEmpty)
                    GemmPacking.PackB(b, transposeB, n, k, pc, kc, jc, nc, packedB, panelCols);
                else
                    bBlock = wholeB[WholeBOffset<T>(jc, pc, nc, k)..];
                bool add = accumulate || pc > 0;
                for (int ic = rowStart; ic < rowEnd; ic += RowBlock)
                {
                    int mc = Math.Min(RowBlock, rowEnd - ic);
                    // Whole panels of row-major A are read in place when few column panels would reuse a packed copy;
                    // a partial last panel is always packed (zero-padded, so the kernel reads no row past A's end).
                    int direct = !transposeA && nc <= DirectAColumns * panelCols ? mc / panelRows * panelRows : 0;
                    if (direct < mc)
                        GemmPacking.PackA(a, transposeA, m, k, ic + direct, mc - direct, pc, kc, packedA, panelRows);
                    for (int jr = 0; jr < nc; jr += panelCols)
                    {
                        ref T bPanel = ref Unsafe.Add(ref MemoryMarshal.GetReference(bBlock), jr * kc);
                        int cols = Math.Min(panelCols, nc - jr);
                        for (int ir = 0; ir < mc; ir += panelRows)
                        {
                            ref T cTile = ref Unsafe.Add(ref cBase, (nint)(ic + ir) * rowStride + (nint)(jc + jr) * colStride);
                            int rows = Math.Min(panelRows, mc - ir);
                            if (ir < direct)
                                GemmMicroKernel.Run<T, GemmMicroKernel.RowMajorPanel, TNumerics>(kc, ref Unsafe.Add(ref aBase, (nint)(ic + ir) * k + pc), k,
                                    ref bPanel, panelCols, ref cTile, rowStride, colStride, rows, cols, add);
                            else
                                GemmMicroKernel.Run<T, GemmMicroKernel.PackedPanel, TNumerics>(kc, ref packedA[(ir - direct) * kc], 0,
                                    ref bPanel, panelCols, ref cTile, rowStride, colStride, rows, cols, add);
                        }
                    }
                }
            }
        }
    }

    private static int RoundUp(int value, int multiple) => DivideRoundingUp(value, multiple) * multiple;

    private static int DivideRoundingUp(int value, int divisor) => (value + divisor - 1) / divisor;
}
