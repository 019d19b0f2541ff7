using EcsNeural.Ecs.Jobs;

namespace EcsNeural.Tests.Jobs;

public class DeterministicReductionTests
{
    private const int ItemCount = 1_000_000;
    private const int BlockSize = 4096;

    /// <summary>Each block sums its items sequentially into its own slot.</summary>
    private struct PartialSumJob(float[] values, float[] partials) : IJobParallelFor
    {
        public readonly void Execute(int blockIndex, int start, int end)
        {
            float sum = 0f;
            for (int i = start; i < end; i++)
                sum += values[i];
            partials[blockIndex] = sum;
        }
    }

    private static float[] RandomValues()
    {
        var random = new Random(20261126);
        var values = new float[ItemCount];
        for (int i = 0; i < values.Length; i++)
            values[i] = (float)(random.NextDouble() * 2.0 - 1.0) * 1000f;
        return values;
    }

    private static int SumBits(float[] values, int workers, int blockSize)
    {
        using var scheduler = new JobScheduler(workers);
        var partials = new float[JobScheduler.GetBlockCount(values.Length, blockSize)];
        scheduler.Complete(scheduler.ScheduleParallelFor(new PartialSumJob(values, partials), values.Length, blockSize));
        float total = 0f;
        foreach (float partial in partials)   // block order, whatever thread produced each partial
            total += partial;
        return BitConverter.SingleToInt32Bits(total);
    }

    [Test]
    public void SumIsBitIdenticalWithAnyWorkerCount()
    {
        var values = RandomValues();
        int inline = SumBits(values, 1, BlockSize);
        Assert.Multiple(() =>
        {
            foreach (int workers in new[] { 2, 3, 8 })
                Assert.That(SumBits(values, workers, BlockSize), Is.EqualTo(inline), $"{workers} workers");
        });
    }

    [Test]
    public void SumDependsOnTheBlockSizeSoTheTestAboveCanFail()
    {
        var values = RandomValues();
        Assert.That(SumBits(values, 2, 1000), Is.Not.EqualTo(SumBits(values, 2, BlockSize)));
    }
}
