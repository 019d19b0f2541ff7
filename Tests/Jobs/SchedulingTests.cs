using EcsNeural.Ecs.Jobs;

namespace EcsNeural.Tests.Jobs;

public class SchedulingTests
{
    private struct WriteJob(int[] target, int index, int value) : IJob
    {
        public readonly void Execute() => target[index] = value;
    }

    private struct RecordBlocksJob(int[] starts, int[] ends, int[] visits) : IJobParallelFor
    {
        public readonly void Execute(int blockIndex, int start, int end)
        {
            starts[blockIndex] = start;
            ends[blockIndex] = end;
            for (int i = start; i < end; i++)
                Interlocked.Increment(ref visits[i]);
        }
    }

    [TestCase(0)]
    [TestCase(-3)]
    public void ConstructorRejectsFewerThanOneWorker(int workers)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new JobScheduler(workers));
        Assert.That(error!.ParamName, Is.EqualTo("workerCount"));
    }

    [TestCase(1)]
    [TestCase(4)]
    public void WorkerCountIsWhatWasAskedFor(int workers)
    {
        using var scheduler = new JobScheduler(workers);
        Assert.That(scheduler.WorkerCount, Is.EqualTo(workers));
    }

    [TestCase(1)]
    [TestCase(2)]
    [TestCase(8)]
    public void ScheduledJobHasRunWhenCompleteReturns(int workers)
    {
        using var scheduler = new JobScheduler(workers);
        var target = new int[1];
        var handle = scheduler.Schedule(new WriteJob(target, 0, 42));
        scheduler.Complete(handle);
        Assert.Multiple(() =>
        {
            Assert.That(target[0], Is.EqualTo(42));
            Assert.That(handle.IsCompleted, Is.True);
        });
    }

    [Test]
    public void WithOneWorkerNothingRunsBeforeComplete()
    {
        using var scheduler = new JobScheduler(1);
        var target = new int[1];
        var handle = scheduler.Schedule(new WriteJob(target, 0, 7));
        Assert.That((target[0], handle.IsCompleted), Is.EqualTo((0, false)));
        scheduler.Complete(handle);
        Assert.That(target[0], Is.EqualTo(7));
    }

    [TestCase(1, 1000, 64)]
    [TestCase(3, 1000, 64)]
    [TestCase(8, 1024, 64)]
    [TestCase(2, 5, 100)]
    [TestCase(2, 7, 1)]
    public void ParallelForRunsEveryItemOnceInFixedBlocks(int workers, int count, int blockSize)
    {
        using var scheduler = new JobScheduler(workers);
        int blocks = (count + blockSize - 1) / blockSize;
        var starts = new int[blocks];
        var ends = new int[blocks];
        var visits = new int[count];
        scheduler.Complete(scheduler.ScheduleParallelFor(new RecordBlocksJob(starts, ends, visits), count, blockSize));

        Assert.Multiple(() =>
        {
            Assert.That(JobScheduler.GetBlockCount(count, blockSize), Is.EqualTo(blocks));
            Assert.That(visits, Is.All.EqualTo(1));
            for (int b = 0; b < blocks; b++)
            {
                Assert.That(starts[b], Is.EqualTo(b * blockSize), $"start of block {b}");
                Assert.That(ends[b], Is.EqualTo(Math.Min((b + 1) * blockSize, count)), $"end of block {b}");
            }
        });
    }

    [Test]
    public void ParallelForOverNoItemsCompletesWithoutRunning()
    {
        using var scheduler = new JobScheduler(2);
        var handle = scheduler.ScheduleParallelFor(new RecordBlocksJob([], [], []), 0, 16);
        scheduler.Complete(handle);
        Assert.That(handle.IsCompleted, Is.True);
    }

    [Test]
    public void ParallelForRejectsBadCountAndBlockSize()
    {
        using var scheduler = new JobScheduler(1);
        var job = new RecordBlocksJob([], [], []);
        Assert.Multiple(() =>
        {
            Assert.That(() => scheduler.ScheduleParallelFor(job, -1, 16),
                Throws.TypeOf<ArgumentOutOfRangeException>().With.Property("ParamName").EqualTo("count"));
            Assert.That(() => scheduler.ScheduleParallelFor(job, 10, 0),
                Throws.TypeOf<ArgumentOutOfRangeException>().With.Property("ParamName").EqualTo("blockSize"));
        });
    }

    [Test]
    public void CombineOfCompletedHandlesIsCompleted()
    {
        Assert.Multiple(() =>
        {
            Assert.That(JobHandle.Completed, Is.EqualTo(default(JobHandle)));
            Assert.That(JobHandle.Combine(default, default).IsCompleted, Is.True);
            Assert.That(JobHandle.Combine(ReadOnlySpan<JobHandle>.Empty).IsCompleted, Is.True);
        });
    }

    [TestCase(1)]
    [TestCase(3)]
    public void CombinedHandleCompletesAllItsJobs(int workers)
    {
        using var scheduler = new JobScheduler(workers);
        var target = new int[5];
        Span<JobHandle> handles = new JobHandle[5];
        for (int i = 0; i < handles.Length; i++)
            handles[i] = scheduler.Schedule(new WriteJob(target, i, i + 1));
        var all = JobHandle.Combine(handles);
        scheduler.Complete(all);
        Assert.Multiple(() =>
        {
            Assert.That(target, Is.EqualTo(new[] { 1, 2, 3, 4, 5 }));
            Assert.That(all.IsCompleted, Is.True);
        });
    }

    [Test]
    public void HandlesOfAnotherSchedulerAreRejected()
    {
        using var first = new JobScheduler(1);
        using var second = new JobScheduler(1);
        var target = new int[2];
        var a = first.Schedule(new WriteJob(target, 0, 1));
        var b = second.Schedule(new WriteJob(target, 1, 1));
        Assert.Multiple(() =>
        {
            Assert.That(() => JobHandle.Combine(a, b), Throws.ArgumentException);
            Assert.That(() => second.Complete(a), Throws.ArgumentException.With.Property("ParamName").EqualTo("handle"));
            Assert.That(() => second.Schedule(new WriteJob(target, 1, 2), a),
                Throws.ArgumentException.With.Property("ParamName").EqualTo("dependsOn"));
        });
        first.CompleteAll();
        second.CompleteAll();
    }

    [TestCase(1)]
    [TestCase(3)]
    public void CompleteAllRunsEverythingScheduled(int workers)
    {
        using var scheduler = new JobScheduler(workers);
        var target = new int[100];
        for (int i = 0; i < target.Length; i++)
            scheduler.Schedule(new WriteJob(target, i, 1));
        scheduler.CompleteAll();
        Assert.That(target, Is.All.EqualTo(1));
    }
}
