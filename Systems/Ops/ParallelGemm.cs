using System.Numerics;
using EcsNeural.Ecs.Jobs;
using EcsNeural.Systems.Kernels;

namespace EcsNeural.Systems.Ops;

/// <summary>
/// A GEMM on arena offsets that, for one big instance, splits its output rows into fixed blocks of
/// <see cref="RowBlock"/> run as parallel jobs (Gemm.MultiplyRows reproduces the whole product bit for bit, so the
/// result is the same with any worker count).
/// </summary>
internal static class ParallelGemm
{
    /// <summary>Output rows per job; a constant, never derived from the worker count.</summary>
    public const int RowBlock = 64;

    /// <summary>Below this many multiply-adds a product runs on the calling thread.</summary>
    private const long MinimumParallelWork = 1L << 20;

    /// <summary>C = (accumulate ? C : 0) + op(A)·op(B), operands given as arena offsets.</summary>
    public static void Multiply<T>(in OpContext<T> c, int a, bool transposeA, int b, bool transposeB, int output,
        int m, int n, int k, bool accumulate) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var job = new RowsJob<T>(c.Data, a, transposeA, b, transposeB, output, m, n, k, accumulate);
        JobScheduler? scheduler = c.RowScheduler;
        if (scheduler is null || m < 2 * RowBlock || (long)m * n * k < MinimumParallelWork)
        {
            job.Execute(0, 0, m);
            return;
        }
        scheduler.Complete(scheduler.ScheduleParallelFor(job, m, RowBlock));
    }

    private readonly struct RowsJob<T>(T[] data, int a, bool transposeA, int b, bool transposeB, int c, int m, int n, int k, bool accumulate)
        : IJobParallelFor where T : unmanaged, IFloatingPointIeee754<T>
    {
        public void Execute(int blockIndex, int start, int end)
            => Gemm.MultiplyRows<T>(data.AsSpan(a, m * k), transposeA, data.AsSpan(b, k * n), transposeB, data.AsSpan(c, m * n),
                m, n, k, accumulate, start, end);
    }
}
