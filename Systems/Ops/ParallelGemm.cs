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
/// the weight gradients of the PPO update's 16,384-sample minibatches its biggest serial cost.
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
    {
        var job = new RowsJob<T>(a, transposeA, b, transposeB, output, m, n, k, accumulate, c.Numerics);
        JobScheduler? scheduler = c.RowScheduler;
        if (scheduler is null || m < 2 * ShallowRowBlock || (long)m * n * k < MinimumParallelWork)
        {
            job.Execute(0, 0, m);
            return;
        }
        scheduler.Complete(scheduler.ScheduleParallelFor(job, m, RowBlock(m)));
    }

    private readonly struct RowsJob<T>(TensorAddress<T> a, bool transposeA, TensorAddress<T> b, bool transposeB, TensorAddress<T> c,
        int m, int n, int k, bool accumulate, NumericsMode numerics) : IJobParallelFor where T : unmanaged, IFloatingPointIeee754<T>
    {
        public void Execute(int blockIndex, int start, int end)
            => Gemm.MultiplyRows<T>(a.Span(m * k), transposeA, b.Span(k * n), transposeB, c.Span(m * n), m, n, k, accumulate, start, end, numerics);
    }
}
