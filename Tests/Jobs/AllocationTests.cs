using EcsNeural.Ecs.Jobs;

namespace EcsNeural.Tests.Jobs;

public class AllocationTests
{
    private const int MaxThreads = 16;

    /// <summary>
    /// Per thread that runs blocks: the thread's allocated-byte counter at the first and the last
    /// block it ran while measuring, so the scheduler code a worker runs in between is measured too.
    /// </summary>
    private sealed class ThreadAllocationLog
    {
        public readonly long[] First = new long[MaxThreads];
        public readonly long[] Last = new long[MaxThreads];
        public volatile bool Measuring;
        private readonly int[] _threadIds = new int[MaxThreads];

        public void Note()
        {
            int slot = SlotOf(Environment.CurrentManagedThreadId);
            if (!Measuring)
                return;
            long bytes = GC.GetAllocatedBytesForCurrentThread();
            if (First[slot] == 0)
                First[slot] = bytes;
            Last[slot] = bytes;
        }

        private int SlotOf(int threadId)
        {
            for (int slot = 0; ; slot++)
            {
                int owner = Volatile.Read(ref _threadIds[slot]);
                if (owner == threadId || (owner == 0 && Interlocked.CompareExchange(ref _threadIds[slot], threadId, 0) == 0))
                    return slot;
            }
        }
    }

    private struct ScaleJob(float[] values, ThreadAllocationLog log) : IJobParallelFor
    {
        public readonly void Execute(int blockIndex, int start, int end)
        {
            log.Note();
            for (int i = start; i < end; i++)
                values[i] *= 0.5f;
        }
    }

    private struct ResetJob(float[] values, ThreadAllocationLog log) : IJob
    {
        public readonly void Execute()
        {
            log.Note();
            values.AsSpan().Fill(1f);
        }
    }

    private static void Step(JobScheduler scheduler, float[] values, ThreadAllocationLog log)
    {
        var reset = scheduler.Schedule(new ResetJob(values, log));
        var first = scheduler.ScheduleParallelFor(new ScaleJob(values, log), values.Length, 256, reset);
        var second = scheduler.ScheduleParallelFor(new ScaleJob(values, log), values.Length, 256, reset);
        scheduler.Complete(JobHandle.Combine(first, second));
    }

    [TestCase(1)]
    [TestCase(2)]
    [TestCase(3)]
    public void SchedulingAndCompletingAllocateNothingAfterWarmUp(int workers)
    {
        using var scheduler = new JobScheduler(workers);
        var values = new float[4096];
        var log = new ThreadAllocationLog();
        for (int i = 0; i < 300; i++)
            Step(scheduler, values, log);

        log.Measuring = true;
        long threadBefore = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 2000; i++)
            Step(scheduler, values, log);
        long threadAllocated = GC.GetAllocatedBytesForCurrentThread() - threadBefore;
        log.Measuring = false;

        // The runtime and the test host have threads of their own that allocate now and then (JIT
        // tiering, test-host messaging), so a process-wide window is not always 0. A per-step
        // allocation would show in every window; the quietest of several must be 0.
        long quietestWindow = long.MaxValue;
        for (int window = 0; window < 8 && quietestWindow != 0; window++)
        {
            long before = GC.GetTotalAllocatedBytes(precise: true);
            for (int i = 0; i < 500; i++)
                Step(scheduler, values, log);
            quietestWindow = Math.Min(quietestWindow, GC.GetTotalAllocatedBytes(precise: true) - before);
        }

        Assert.Multiple(() =>
        {
            Assert.That(threadAllocated, Is.Zero, "bytes allocated by the completing thread");
            for (int slot = 0; slot < MaxThreads; slot++)
                Assert.That(log.Last[slot] - log.First[slot], Is.Zero, $"bytes allocated by job thread {slot}");
            Assert.That(quietestWindow, Is.Zero, "bytes allocated process-wide in the quietest window of 500 steps");
        });
    }
}
