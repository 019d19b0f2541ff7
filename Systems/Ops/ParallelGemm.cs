using System.Numerics;
using EcsNeural.Ecs.Jobs;
using EcsNeural.Systems.Kernels;

namespace EcsNeural.Systems.Ops;

/// <summary>
/// A GEMM on tensor addresses that, for one big instance, splits its output rows into blocks run as parallel jobs
/// (Gemm.MultiplyRows reproduces the whole product bit for bit, so the result is the same with any worker count).
/// The block size follows from the shape alone — about <see cref="BlocksPerProduct"/> blocks, never fewer than
/// <see cref="MinimumRowBlock"/> rows — because every block packs all of op(B) again: W5's 4,096-row products ran
/// 10–25% slower in 64-row blocks than in 512-row ones. A product with fewer rows but a deep inner dimension (a weight
/// gradient xᵀ·dy: m = fan-in, k = batch) splits in two halves: each packs op(B) again, but leaving it on one core made
/// the weight gradients of the PPO update's 16,384-sample minibatches its biggest serial cost. Those that fit
/// <see cref="DeepGemm"/> split their depth instead: each chunk job reads only its own rows of A and B. A big op(B)
/// (<see cref="Gemm.SharesPackedB{T}"/>) is packed once, by a parallel pass over its depth blocks, and every row job
/// reads that packing instead of making its own.
/// </summary>
internal static class ParallelGemm
{
    /// <summary>Fewest output rows per job.</summary>
    public const int MinimumRowBlock = 64;

    /// <summary>How many row blocks a big product is cut into; a constant, never derived from the worker count.</summary>
    public const int BlocksPerProduct = 8;

    /// <summary>Fewest output rows per job of a product with fewer than 2 · <see cref="MinimumRowBlock"/> rows (its halves).</summary>
    public const int ShallowRowBlock = 8;

    /// <summary>Output rows per job for an <paramref name="m"/>-row product: a multiple of 8.</summary>
    public static int RowBlock(int m) => m < 2 * MinimumRowBlock
        ? (m / 2 + ShallowRowBlock - 1) / ShallowRowBlock * ShallowRowBlock
        : Math.Max(MinimumRowBlock, (m + 8 * BlocksPerProduct - 1) / (8 * BlocksPerProduct) * 8);

    /// <summary>Below this many multiply-adds a product runs on the calling thread.</summary>
    private const long MinimumParallelWork = 1L << 20;

    /// <summary>C = (accumulate ? C : 0) + op(A)·op(B).</summary>
    public static void Multiply<T>(in OpContext<T> c, TensorAddress<T> a, bool transposeA, TensorAddress<T> b, bool transposeB,
        TensorAddress<T> output, int m, int n, int k, bool accumulate) where T : unmanaged, IFloatingPointIeee754<T>
        => Run(c, a, transposeA, b, transposeB, output, default, m, n, k, accumulate);

    /// <summary>
    /// C = every row <paramref name="bias"/> + A·B (a dense layer's forward pass). Each row job writes the bias into its own
    /// rows just before multiplying into them, so the rows are filled in parallel and still in cache when the GEMM adds.
    /// </summary>
    public static void MultiplyAddingRow<T>(in OpContext<T> c, TensorAddress<T> a, TensorAddress<T> b, TensorAddress<T> bias,
        TensorAddress<T> output, int m, int n, int k) where T : unmanaged, IFloatingPointIeee754<T>
        => Run(c, a, false, b, false, output, bias, m, n, k, accumulate: true);

    private static void Run<T>(in OpContext<T> c, TensorAddress<T> a, bool transposeA, TensorAddress<T> b, bool transposeB,
        TensorAddress<T> output, TensorAddress<T> bias, int m, int n, int k, bool accumulate) where T : unmanaged, IFloatingPointIeee754<T>
    {
        JobScheduler? scheduler = c.RowScheduler;
        // Portable numerics keep Gemm's one packed path (DeepGemm's chunked depth rounds otherwise).
        if (scheduler is not null && c.Numerics == NumericsMode.Fast && DeepGemm.Fits<T>(transposeA, transposeB, m, n, k))
        {
            // The depth chunks in parallel, summed in chunk order: the bits of Gemm's serial pass over the same chunks.
            int chunks = DeepGemm.Chunks(k);
            T[] partials = c.RowScratch!.Rent(chunks * DeepGemm.PartialLength<T>(m, n));
            scheduler.Complete(scheduler.ScheduleParallelFor(new DeepChunkJob<T>(a, b, partials, m, n, k), chunks, 1));
            DeepGemm.Reduce<T>(partials, output.Span(m * n), m, n, chunks, accumulate, 0, m);
            return;
        }
        if (scheduler is null || m < 2 * ShallowRowBlock || (long)m * n * k < MinimumParallelWork)
        {
            new RowsJob<T>(a, transposeA, b, transposeB, output, bias, m, n, k, accumulate, c.Numerics, wholeB: null).Execute(0, 0, m);
            return;
        }
        T[]? wholeB = null;
        JobHandle packed = default;
        if (Gemm.SharesPackedB<T>(transposeA, transposeB, m, n, k, c.Numerics))
        {
            // Every row job would pack all of op(B) for itself (W5's weight gradients: 16 MB of dy, eight times, a tenth
            // of the step); pack it once, in parallel over its depth blocks, and let the row jobs read that.
            wholeB = c.RowScratch!.Rent(PackedGemm.WholeBLength<T>(n, k));
            packed = scheduler.ScheduleParallelFor(new PackBJob<T>(b, transposeB, n, k, wholeB), PackedGemm.DepthBlocks(k), 1);
        }
        var job = new RowsJob<T>(a, transposeA, b, transposeB, output, bias, m, n, k, accumulate, c.Numerics, wholeB);
        scheduler.Complete(scheduler.ScheduleParallelFor(job, m, RowBlock(m), packed));
    }

    /// <summary>Depth blocks [start, end) of op(B), packed whole for the row jobs that follow.</summary>
    private readonly struct PackBJob<T>(TensorAddress<T> b, bool transposeB, int n, int k, T[] whole) : IJobParallelFor
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        public void Execute(int blockIndex, int start, int end) => PackedGemm.PackWholeB<T>(b.Span(k * n), transposeB, n, k, whole, start, end);
    }

    /// <summary>One depth chunk of a <see cref="DeepGemm"/> product, all rows, into its partial.</summary>
    private readonly struct DeepChunkJob<T>(TensorAddress<T> a, TensorAddress<T> b, T[] partials, int m, int n, int k) : IJobParallelFor
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        public void Execute(int blockIndex, int start, int end)
            => DeepGemm.Chunk<T>(a.Span(k * m), b.Span(k * n), partials, m, n, k, start, 0, m);
    }

    /// <summary>Output rows [start, end) of the product; with a bias (its array set), those rows start as copies of it; with
    /// <c>wholeB</c>, op(B) is read as packed there.</summary>
    private readonly struct RowsJob<T>(TensorAddress<T> a, bool transposeA, TensorAddress<T> b, bool transposeB, TensorAddress<T> c,
        TensorAddress<T> bias, int m, int n, int k, bool accumulate, NumericsMode numerics, T[]? wholeB) : IJobParallelFor
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        public void Execute(int blockIndex, int start, int end)
        {
            Span<T> output = c.Span(m * n);
            if (bias.Data is not null)
                RepeatRows.Fill<T>(bias.Span(n), output[(start * n)..(end * n)]);
            if (wholeB is null)
                Gemm.MultiplyRows<T>(a.Span(m * k), transposeA, b.Span(k * n), transposeB, output, m, n, k, accumulate, start, end, numerics);
            else
                Gemm.MultiplyRowsPacked<T>(a.Span(m * k), transposeA, b.Span(k * n), transposeB, output, m, n, k, accumulate, start, end,
                    numerics, wholeB);
        }
    }
}
