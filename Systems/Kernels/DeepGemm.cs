using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace EcsNeural.Systems.Kernels;

/// <summary>
/// C = (accumulate ? C : 0) + Aᵀ·B for a small C and a deep inner dimension — a weight gradient xᵀ·dy, with A = x
/// stored k×m (k = the batch) and B = dy stored k×n. Row p of A and of B already hold, contiguously, the 8 values of A
/// and the vectors of B that the register tile needs at step p, so nothing is packed: the tile reads both straight from
/// memory. The depth is cut into fixed chunks (<see cref="ChunkDepth"/>) whose partial products can run in parallel
/// (<see cref="Chunk{T}"/>) and are then summed in chunk order (<see cref="Reduce{T}"/>).
/// </summary>
/// <remarks>
/// Element (i, j) is <c>C + ((P₀ + P₁) + P₂ …)</c>, each chunk's Pₜ the sum, in order, of its sub-blocks' fused
/// multiply-add chains (the <see cref="GemmMicroKernel"/> tile, reading A as <see cref="GemmMicroKernel.ColumnMajorPanel"/>
/// and B's rows in place): the same bits however the rows or the chunks are spread over threads, and whatever the worker
/// count. The packed path
/// spent more time packing than multiplying on these shapes (16,384 × 64 × 64 ran at a third of the FMA peak), and its
/// row split packed all of B again per block.
/// </remarks>
internal static class DeepGemm
{
    /// <summary>Depth of a chunk, at least: a multiple of <see cref="SubDepth"/>.</summary>
    private const int MinimumChunkDepth = 2048;

    /// <summary>Most chunks a product is cut into, so the partials of a very deep product stay small (≤ 32·m·n).</summary>
    private const int MaxChunks = 32;

    /// <summary>Steps a tile runs before adding into its partial (A and B rows of that many steps stay in L2).</summary>
    private const int SubDepth = 256;

    /// <summary>Rows of the register tile.</summary>
    private const int TileRows = 8;

    /// <summary>
    /// Whether Aᵀ·B of this shape goes this way: AVX-512 (the only path with a fused multiply-add in every lane), at
    /// least two chunks deep, C small (its partials stay in cache) and whole tiles: m a multiple of 8 and n of the
    /// tile's two vectors (the tile reads both from each row of B), or a narrow C (n ≤ 8, an output layer's few columns)
    /// with m a multiple of two vectors, computed as Cᵀ.
    /// </summary>
    public static bool Fits<T>(bool transposeA, bool transposeB, int m, int n, int k) where T : unmanaged
        => transposeA && !transposeB && PackedGemm.IsSupported && k >= 2 * MinimumChunkDepth && m <= 256 && n <= 256
            && (m % TileRows == 0 && n % GemmMicroKernel.Columns<T>() == 0 || IsNarrow<T>(m, n));

    /// <summary>
    /// A narrow C goes as Cᵀ = Bᵀ·A: the vectors run along m, and B's few columns, copied per chunk into rows padded to
    /// the tile's 8 with zeros, are the broadcast side. Each element is still one fused chain over p of A[p, i]·B[p, j].
    /// </summary>
    private static bool IsNarrow<T>(int m, int n) where T : unmanaged
        => n <= TileRows && n % GemmMicroKernel.Columns<T>() != 0 && m % GemmMicroKernel.Columns<T>() == 0;

    /// <summary>Elements of one chunk's partial: m×n, or 8×m (Cᵀ, rows padded) for a narrow C.</summary>
    public static int PartialLength<T>(int m, int n) where T : unmanaged => IsNarrow<T>(m, n) ? TileRows * m : m * n;

    /// <summary>
    /// Depth of each chunk of a depth-<paramref name="k"/> product: 2,048, or deeper (still a multiple of the sub-block) when
    /// that would make more than 32 chunks. It follows from k alone, so the sum order never depends on the machine.
    /// </summary>
    public static int ChunkDepth(int k)
    {
        int spread = ((k + MaxChunks - 1) / MaxChunks + SubDepth - 1) / SubDepth * SubDepth;
        return Math.Max(MinimumChunkDepth, spread);
    }

    /// <summary>Chunks of a depth-<paramref name="k"/> product.</summary>
    public static int Chunks(int k) => (k + ChunkDepth(k) - 1) / ChunkDepth(k);

    /// <summary>Rows [rowStart, rowEnd) of C = (accumulate ? C : 0) + Aᵀ·B on this thread, partials in a per-thread buffer.</summary>
    public static void MultiplyRows<T>(ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> c, int m, int n, int k, bool accumulate, int rowStart, int rowEnd)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int chunks = Chunks(k), length = chunks * PartialLength<T>(m, n);
        Span<T> partials = GemmWorkspace<T>.Partials(length).AsSpan(0, length);
        for (int t = 0; t < chunks; t++)
            Chunk(a, b, partials, m, n, k, t, rowStart, rowEnd);
        Reduce<T>(partials, c, m, n, chunks, accumulate, rowStart, rowEnd);
    }

    /// <summary>
    /// Rows [rowStart, rowEnd) of chunk <paramref name="chunk"/>'s partial product into <paramref name="partials"/>
    /// (chunk-major, each <see cref="PartialLength{T}"/> long): Σ over the chunk's steps p of A[p, i]·B[p, j]. A narrow
    /// C's chunk computes every row.
    /// </summary>
    public static void Chunk<T>(ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> partials, int m, int n, int k, int chunk, int rowStart, int rowEnd)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (IsNarrow<T>(m, n))
        {
            NarrowChunk(a, b, partials, m, n, k, chunk);
            return;
        }
        int first = chunk * ChunkDepth(k), last = Math.Min(k, first + ChunkDepth(k)), cols = GemmMicroKernel.Columns<T>();
        ref T a0 = ref MemoryMarshal.GetReference(a);
        ref T b0 = ref MemoryMarshal.GetReference(b);
        ref T partial = ref partials[chunk * m * n];
        int tileEnd = rowStart + (rowEnd - rowStart) / TileRows * TileRows;
        for (int p = first; p < last; p += SubDepth)
        {
            int depth = Math.Min(SubDepth, last - p);
            bool add = p > first;
            for (int i = rowStart; i < tileEnd; i += TileRows)
                for (int j = 0; j < n; j += cols)
                    GemmMicroKernel.Run<T, GemmMicroKernel.ColumnMajorPanel, FastNumerics>(depth, ref Unsafe.Add(ref a0, (nint)p * m + i), m,
                        ref Unsafe.Add(ref b0, (nint)p * n + j), n, ref Unsafe.Add(ref partial, i * n + j), n, 1, TileRows, cols, add);
            // A range that does not end on a tile: the same chain per element and sub-block, one element at a time.
            for (int i = tileEnd; i < rowEnd; i++)
                for (int j = 0; j < n; j++)
                {
                    T sum = T.Zero;
                    for (int q = p; q < p + depth; q++)
                        sum = T.FusedMultiplyAdd(Unsafe.Add(ref a0, (nint)q * m + i), Unsafe.Add(ref b0, (nint)q * n + j), sum);
                    ref T element = ref Unsafe.Add(ref partial, i * n + j);
                    element = add ? sum + element : sum;
                }
        }
    }

    /// <summary>
    /// Cᵀ's partial for one chunk of a narrow C: each sub-block of B's rows padded to 8 columns (on the stack, so no thread
    /// allocates it) — a packed A panel of the tile — then tiles along m.
    /// </summary>
    [SkipLocalsInit]
    private static void NarrowChunk<T>(ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> partials, int m, int n, int k, int chunk)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int first = chunk * ChunkDepth(k), last = Math.Min(k, first + ChunkDepth(k)), cols = GemmMicroKernel.Columns<T>();
        Span<T> padded = stackalloc T[SubDepth * TileRows];
        ref T a0 = ref MemoryMarshal.GetReference(a);
        ref T b0 = ref MemoryMarshal.GetReference(padded);
        ref T partial = ref partials[chunk * TileRows * m];
        for (int p = first; p < last; p += SubDepth)
        {
            int depth = Math.Min(SubDepth, last - p);
            bool add = p > first;
            padded.Clear();
            for (int q = 0; q < depth; q++)
                b.Slice((p + q) * n, n).CopyTo(padded[(q * TileRows)..]);
            for (int j = 0; j < m; j += cols)
                GemmMicroKernel.Run<T, GemmMicroKernel.PackedPanel, FastNumerics>(depth, ref b0, 0, ref Unsafe.Add(ref a0, (nint)p * m + j), m,
                    ref Unsafe.Add(ref partial, j), m, 1, TileRows, cols, add);
        }
    }

    /// <summary>Rows [rowStart, rowEnd) of C = (accumulate ? C : 0) + ((P₀ + P₁) + …); overwrites P₀.</summary>
    public static void Reduce<T>(Span<T> partials, Span<T> c, int m, int n, int chunks, bool accumulate, int rowStart, int rowEnd)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (IsNarrow<T>(m, n))
        {
            ReduceTransposed(partials, c, m, n, chunks, accumulate, rowStart, rowEnd);
            return;
        }
        int at = rowStart * n, length = (rowEnd - rowStart) * n;
        Span<T> total = partials.Slice(at, length);
        for (int t = 1; t < chunks; t++)
            TensorPrimitives.Add<T>(total, partials.Slice(t * m * n + at, length), total);
        Span<T> rows = c.Slice(at, length);
        if (accumulate)
            TensorPrimitives.Add<T>(rows, total, rows);
        else
            total.CopyTo(rows);
    }

    /// <summary>A narrow C's <see cref="Reduce{T}"/>: the partials hold Cᵀ (8 rows of m, the first n real).</summary>
    private static void ReduceTransposed<T>(Span<T> partials, Span<T> c, int m, int n, int chunks, bool accumulate, int rowStart, int rowEnd)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Span<T> total = partials[..(n * m)];
        for (int t = 1; t < chunks; t++)
            TensorPrimitives.Add<T>(total, partials.Slice(t * TileRows * m, n * m), total);
        for (int i = rowStart; i < rowEnd; i++)
            for (int j = 0; j < n; j++)
                c[i * n + j] = accumulate ? c[i * n + j] + total[j * m + i] : total[j * m + i];
    }
}
