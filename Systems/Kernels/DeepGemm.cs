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
/// Element (i, j) is <c>C + ((P₀ + P₁) + P₂ …)</c>, each Pₜ a chain of fused multiply-adds over its chunk in order: the
/// same bits however the rows or the chunks are spread over threads, and whatever the worker count. The packed path
/// spent more time packing than multiplying on these shapes (16,384 × 64 × 64 ran at a third of the FMA peak), and its
/// row split packed all of B again per block.
/// </remarks>
internal static class DeepGemm
{
    /// <summary>Depth of a chunk, at least: a multiple of <see cref="SubDepth"/>.</summary>
    private const int MinimumChunkDepth = 2048;

    /// <summary>Most chunks a product is cut into, so the partials of a very deep product stay small (≤ 32·m·n).</summary>
    private const int MaxChunks = 32;

    /// <summary>Steps a tile runs between loads and stores of its partial (A and B rows of that many steps stay in L2).</summary>
    private const int SubDepth = 256;

    /// <summary>Rows of the register tile.</summary>
    private const int TileRows = 8;

    /// <summary>
    /// Whether Aᵀ·B of this shape goes this way: AVX-512 (the only path with a fused multiply-add in every lane), at
    /// least two chunks deep, C small (its partials stay in cache) and whole tiles: m a multiple of 8 and n of a vector,
    /// or a narrow C (n ≤ 8, an output layer's few columns) with m a multiple of a vector, computed as Cᵀ.
    /// </summary>
    public static bool Fits<T>(bool transposeA, bool transposeB, int m, int n, int k) where T : unmanaged
        => transposeA && !transposeB && PackedGemm.IsSupported && k >= 2 * MinimumChunkDepth && m <= 256 && n <= 256
            && (m % TileRows == 0 && n % Vector512<T>.Count == 0 || IsNarrow<T>(m, n));

    /// <summary>
    /// A narrow C goes as Cᵀ = Bᵀ·A: the vectors run along m, and B's few columns, copied per chunk into rows padded to
    /// the tile's 8 with zeros, are the broadcast side. Each element is still one fused chain over p of A[p, i]·B[p, j].
    /// </summary>
    private static bool IsNarrow<T>(int m, int n) where T : unmanaged => n <= TileRows && n % Vector512<T>.Count != 0 && m % Vector512<T>.Count == 0;

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
        int first = chunk * ChunkDepth(k), last = Math.Min(k, first + ChunkDepth(k)), w = Vector512<T>.Count;
        ref T a0 = ref MemoryMarshal.GetReference(a);
        ref T b0 = ref MemoryMarshal.GetReference(b);
        ref T partial = ref partials[chunk * m * n];
        int tileEnd = rowStart + (rowEnd - rowStart) / TileRows * TileRows;
        for (int p = first; p < last; p += SubDepth)
        {
            int depth = Math.Min(SubDepth, last - p);
            bool add = p > first;
            for (int i = rowStart; i < tileEnd; i += TileRows)
            {
                int j = 0;
                for (; j + 2 * w <= n; j += 2 * w)
                    TwoVectorTile(ref Unsafe.Add(ref a0, (nint)p * m + i), ref Unsafe.Add(ref b0, (nint)p * n + j),
                        ref Unsafe.Add(ref partial, i * n + j), m, n, depth, add);
                if (j < n)
                    OneVectorTile(ref Unsafe.Add(ref a0, (nint)p * m + i), ref Unsafe.Add(ref b0, (nint)p * n + j),
                        ref Unsafe.Add(ref partial, i * n + j), m, n, depth, add);
            }
        }
        // A range that does not end on a tile: the same fused chain per element, one at a time.
        for (int i = tileEnd; i < rowEnd; i++)
            for (int j = 0; j < n; j++)
            {
                T sum = T.Zero;
                for (int p = first; p < last; p++)
                    sum = T.FusedMultiplyAdd(Unsafe.Add(ref a0, (nint)p * m + i), Unsafe.Add(ref b0, (nint)p * n + j), sum);
                Unsafe.Add(ref partial, i * n + j) = sum;
            }
    }

    /// <summary>
    /// Cᵀ's partial for one chunk of a narrow C: each sub-block of B's rows padded to 8 columns (on the stack, so no thread
    /// allocates it), then tiles along m.
    /// </summary>
    [SkipLocalsInit]
    private static void NarrowChunk<T>(ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> partials, int m, int n, int k, int chunk)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int first = chunk * ChunkDepth(k), last = Math.Min(k, first + ChunkDepth(k)), w = Vector512<T>.Count;
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
            int j = 0;
            for (; j + 2 * w <= m; j += 2 * w)
                TwoVectorTile(ref b0, ref Unsafe.Add(ref a0, (nint)p * m + j), ref Unsafe.Add(ref partial, j), TileRows, m, depth, add);
            if (j < m)
                OneVectorTile(ref b0, ref Unsafe.Add(ref a0, (nint)p * m + j), ref Unsafe.Add(ref partial, j), TileRows, m, depth, add);
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

    /// <summary>An 8 × 2-vector tile of a partial: (add ? tile : 0) + Σ over <paramref name="depth"/> steps, A and B read with their row strides.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void TwoVectorTile<T>(ref T a, ref T b, ref T tile, int lda, int ldb, int depth, bool add) where T : unmanaged
    {
        int w = Vector512<T>.Count;
        nuint ld = (nuint)ldb;
        Vector512<T> c0a = default, c0b = default, c1a = default, c1b = default, c2a = default, c2b = default, c3a = default, c3b = default;
        Vector512<T> c4a = default, c4b = default, c5a = default, c5b = default, c6a = default, c6b = default, c7a = default, c7b = default;
        if (add)
        {
            c0a = Vector512.LoadUnsafe(ref tile); c0b = Vector512.LoadUnsafe(ref tile, (nuint)w);
            c1a = Vector512.LoadUnsafe(ref tile, ld); c1b = Vector512.LoadUnsafe(ref tile, ld + (nuint)w);
            c2a = Vector512.LoadUnsafe(ref tile, 2 * ld); c2b = Vector512.LoadUnsafe(ref tile, 2 * ld + (nuint)w);
            c3a = Vector512.LoadUnsafe(ref tile, 3 * ld); c3b = Vector512.LoadUnsafe(ref tile, 3 * ld + (nuint)w);
            c4a = Vector512.LoadUnsafe(ref tile, 4 * ld); c4b = Vector512.LoadUnsafe(ref tile, 4 * ld + (nuint)w);
            c5a = Vector512.LoadUnsafe(ref tile, 5 * ld); c5b = Vector512.LoadUnsafe(ref tile, 5 * ld + (nuint)w);
            c6a = Vector512.LoadUnsafe(ref tile, 6 * ld); c6b = Vector512.LoadUnsafe(ref tile, 6 * ld + (nuint)w);
            c7a = Vector512.LoadUnsafe(ref tile, 7 * ld); c7b = Vector512.LoadUnsafe(ref tile, 7 * ld + (nuint)w);
        }
        for (int p = 0; p < depth; p++)
        {
            Vector512<T> b0 = Vector512.LoadUnsafe(ref b), b1 = Vector512.LoadUnsafe(ref b, (nuint)w);
            Vector512<T> x = Vector512.Create(a);
            c0a = SimdOps.Fma(x, b0, c0a); c0b = SimdOps.Fma(x, b1, c0b);
            x = Vector512.Create(Unsafe.Add(ref a, 1));
            c1a = SimdOps.Fma(x, b0, c1a); c1b = SimdOps.Fma(x, b1, c1b);
            x = Vector512.Create(Unsafe.Add(ref a, 2));
            c2a = SimdOps.Fma(x, b0, c2a); c2b = SimdOps.Fma(x, b1, c2b);
            x = Vector512.Create(Unsafe.Add(ref a, 3));
            c3a = SimdOps.Fma(x, b0, c3a); c3b = SimdOps.Fma(x, b1, c3b);
            x = Vector512.Create(Unsafe.Add(ref a, 4));
            c4a = SimdOps.Fma(x, b0, c4a); c4b = SimdOps.Fma(x, b1, c4b);
            x = Vector512.Create(Unsafe.Add(ref a, 5));
            c5a = SimdOps.Fma(x, b0, c5a); c5b = SimdOps.Fma(x, b1, c5b);
            x = Vector512.Create(Unsafe.Add(ref a, 6));
            c6a = SimdOps.Fma(x, b0, c6a); c6b = SimdOps.Fma(x, b1, c6b);
            x = Vector512.Create(Unsafe.Add(ref a, 7));
            c7a = SimdOps.Fma(x, b0, c7a); c7b = SimdOps.Fma(x, b1, c7b);
            a = ref Unsafe.Add(ref a, lda);
            b = ref Unsafe.Add(ref b, ldb);
        }
        c0a.StoreUnsafe(ref tile); c0b.StoreUnsafe(ref tile, (nuint)w);
        c1a.StoreUnsafe(ref tile, ld); c1b.StoreUnsafe(ref tile, ld + (nuint)w);
        c2a.StoreUnsafe(ref tile, 2 * ld); c2b.StoreUnsafe(ref tile, 2 * ld + (nuint)w);
        c3a.StoreUnsafe(ref tile, 3 * ld); c3b.StoreUnsafe(ref tile, 3 * ld + (nuint)w);
        c4a.StoreUnsafe(ref tile, 4 * ld); c4b.StoreUnsafe(ref tile, 4 * ld + (nuint)w);
        c5a.StoreUnsafe(ref tile, 5 * ld); c5b.StoreUnsafe(ref tile, 5 * ld + (nuint)w);
        c6a.StoreUnsafe(ref tile, 6 * ld); c6b.StoreUnsafe(ref tile, 6 * ld + (nuint)w);
        c7a.StoreUnsafe(ref tile, 7 * ld); c7b.StoreUnsafe(ref tile, 7 * ld + (nuint)w);
    }

    /// <summary>An 8 × 1-vector tile, for a C whose width leaves one vector after the two-vector tiles.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void OneVectorTile<T>(ref T a, ref T b, ref T tile, int lda, int ldb, int depth, bool add) where T : unmanaged
    {
        nuint ld = (nuint)ldb;
        Vector512<T> c0 = default, c1 = default, c2 = default, c3 = default, c4 = default, c5 = default, c6 = default, c7 = default;
        if (add)
        {
            c0 = Vector512.LoadUnsafe(ref tile); c1 = Vector512.LoadUnsafe(ref tile, ld);
            c2 = Vector512.LoadUnsafe(ref tile, 2 * ld); c3 = Vector512.LoadUnsafe(ref tile, 3 * ld);
            c4 = Vector512.LoadUnsafe(ref tile, 4 * ld); c5 = Vector512.LoadUnsafe(ref tile, 5 * ld);
            c6 = Vector512.LoadUnsafe(ref tile, 6 * ld); c7 = Vector512.LoadUnsafe(ref tile, 7 * ld);
        }
        for (int p = 0; p < depth; p++)
        {
            Vector512<T> y = Vector512.LoadUnsafe(ref b);
            c0 = SimdOps.Fma(Vector512.Create(a), y, c0);
            c1 = SimdOps.Fma(Vector512.Create(Unsafe.Add(ref a, 1)), y, c1);
            c2 = SimdOps.Fma(Vector512.Create(Unsafe.Add(ref a, 2)), y, c2);
            c3 = SimdOps.Fma(Vector512.Create(Unsafe.Add(ref a, 3)), y, c3);
            c4 = SimdOps.Fma(Vector512.Create(Unsafe.Add(ref a, 4)), y, c4);
            c5 = SimdOps.Fma(Vector512.Create(Unsafe.Add(ref a, 5)), y, c5);
            c6 = SimdOps.Fma(Vector512.Create(Unsafe.Add(ref a, 6)), y, c6);
            c7 = SimdOps.Fma(Vector512.Create(Unsafe.Add(ref a, 7)), y, c7);
            a = ref Unsafe.Add(ref a, lda);
            b = ref Unsafe.Add(ref b, ldb);
        }
        c0.StoreUnsafe(ref tile); c1.StoreUnsafe(ref tile, ld);
        c2.StoreUnsafe(ref tile, 2 * ld); c3.StoreUnsafe(ref tile, 3 * ld);
        c4.StoreUnsafe(ref tile, 4 * ld); c5.StoreUnsafe(ref tile, 5 * ld);
        c6.StoreUnsafe(ref tile, 6 * ld); c7.StoreUnsafe(ref tile, 7 * ld);
    }
}
