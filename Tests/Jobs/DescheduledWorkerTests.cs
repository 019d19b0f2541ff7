using EcsNeural.Ecs.Jobs;

namespace EcsNeural.Tests.Jobs;

/// <summary>
/// When the cores are busy a background worker can lose its core at any moment. The thread that waits must then be able
/// to run every block nobody is running, and never wait for a block that was handed out but not started. Held workers
/// (a blocking job, or a block that stalls) stand in for descheduled ones, deterministically.
/// </summary>
public class DescheduledWorkerTests
{
    private const int Blocks = 64;

    /// <summary>Records which thread ran each block, and sums its items into the block's own partial.</summary>
    private struct RecordingSumJob(float[] values, float[] partials, int[] threads) : IJobParallelFor
    {
        public readonly void Execute(int blockIndex, int start, int end)
        {
            threads[blockIndex] = Environment.CurrentManagedThreadId;
            float sum = 0f;
            for (int i = start; i < end; i++)
                sum += values[i] * values[i];
            partials[blockIndex] = sum;
        }
    }

    /// <summary>
    /// A background thread's first block stalls until every block not stalled has run, as if its thread had been
    /// descheduled mid-block; the bounded wait turns a scheduler that waits on the stalled block too early into a failure.
    /// </summary>
    private struct StallingJob(int waitingThread, int[] stalled, int[] done, int[] threads, int[] stalledBackgroundThreads) : IJobParallelFor
    {
        [ThreadStatic] private static bool _stalledOnce;

        public readonly void Execute(int blockIndex, int start, int end)
        {
            int self = Environment.CurrentManagedThreadId;
            threads[blockIndex] = self;
            if (self != waitingThread && !_stalledOnce)
            {
                _stalledOnce = true;
                Interlocked.Increment(ref stalled[0]);
                var until = DateTime.UtcNow.AddSeconds(10);
                while (Volatile.Read(ref done[0]) + Volatile.Read(ref stalled[0]) < Blocks)
                {
                    if (DateTime.UtcNow > until)
                        throw new TimeoutException("the other blocks never ran while this one stalled");
                    Thread.Sleep(1);
                }
                Interlocked.Increment(ref stalledBackgroundThreads[0]);
                return;
            }
            Interlocked.Increment(ref done[0]);
        }
    }

    private static float[] Values()
    {
        var random = new Random(12);
        var values = new float[Blocks * 1000 - 17];
        for (int i = 0; i < values.Length; i++)
            values[i] = (float)random.NextDouble() - 0.5f;
        return values;
    }

    private static int SumBits(float[] partials)
    {
        float total = 0f;
        foreach (float partial in partials)
            total += partial;
        return BitConverter.SingleToInt32Bits(total);
    }

    private static int InlineSumBits(float[] values)
    {
        using var scheduler = new JobScheduler(1);
        var partials = new float[Blocks];
        scheduler.Complete(scheduler.ScheduleParallelFor(new RecordingSumJob(values, partials, new int[Blocks]), values.Length, 1000));
        return SumBits(partials);
    }

    [TestCase(2)]
    [TestCase(3)]
    [TestCase(8)]
    public void WithEveryWorkerHeldTheWaitingThreadRunsEveryBlockAndGetsTheSameBits(int workers)
    {
        float[] values = Values();
        var partials = new float[Blocks];
        var threads = new int[Blocks];
        int waitingThread = 0;
        Deadline.Run(() =>
        {
            waitingThread = Environment.CurrentManagedThreadId;
            using var scheduler = new JobScheduler(workers);
            using var hold = new BackgroundWorkerHold(scheduler);
            scheduler.Complete(scheduler.ScheduleParallelFor(new RecordingSumJob(values, partials, threads), values.Length, 1000));
        });
        Assert.Multiple(() =>
        {
            Assert.That(threads, Is.All.EqualTo(waitingThread), "threads that ran the blocks");
            Assert.That(SumBits(partials), Is.EqualTo(InlineSumBits(values)), "sum of the partials in block order");
        });
    }

    [TestCase(2)]
    [TestCase(3)]
    [TestCase(8)]
    public void WithEveryWorkerHeldAChainOfParallelForsRunsOnTheWaitingThread(int workers)
    {
        float[] values = Values();
        var partials = new float[Blocks];
        var threads = new int[Blocks];
        int waitingThread = 0;
        Deadline.Run(() =>
        {
            waitingThread = Environment.CurrentManagedThreadId;
            using var scheduler = new JobScheduler(workers);
            using var hold = new BackgroundWorkerHold(scheduler);
            JobHandle last = default;
            for (int tick = 0; tick < 10; tick++)   // one parallel-for per tick, each after the previous, as the engine schedules
                last = scheduler.ScheduleParallelFor(new RecordingSumJob(values, partials, threads), values.Length, 1000, last);
            scheduler.Complete(last);
        });
        Assert.That(threads, Is.All.EqualTo(waitingThread), "threads that ran the blocks of the last tick");
    }

    [TestCase(2)]
    [TestCase(3)]
    [TestCase(8)]
    public void AWorkerStalledInsideABlockHoldsUpOnlyThatBlock(int workers)
    {
        var stalled = new int[1];
        var done = new int[1];
        var released = new int[1];
        var threads = new int[Blocks];
        int waitingThread = 0;
        Deadline.Run(() =>
        {
            waitingThread = Environment.CurrentManagedThreadId;
            using var scheduler = new JobScheduler(workers);
            scheduler.Complete(scheduler.ScheduleParallelFor(new StallingJob(waitingThread, stalled, done, threads, released), Blocks, 1));
        });
        int byWaitingThread = threads.Count(t => t == waitingThread);
        Assert.Multiple(() =>
        {
            Assert.That(threads, Is.All.Not.Zero, "every block ran");
            Assert.That(released[0], Is.EqualTo(stalled[0]), "every stalled block finished before Complete returned");
            Assert.That(stalled[0], Is.InRange(0, workers - 1), "at most one stalled block per background thread");
            Assert.That(byWaitingThread, Is.EqualTo(Blocks - stalled[0]), "blocks the waiting thread ran: all that did not stall");
        });
    }
}
