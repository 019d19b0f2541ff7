using EcsNeural.Ecs.Jobs;

namespace EcsNeural.Tests.Jobs;

public class FailureTests
{
    private struct ThrowingJob(Exception error) : IJob
    {
        public readonly void Execute() => throw error;
    }

    private struct WriteJob(int[] target, int value) : IJob
    {
        public readonly void Execute() => target[0] = value;
    }

    private struct ThrowInBlockJob(int failingBlock, int[] ran) : IJobParallelFor
    {
        public readonly void Execute(int blockIndex, int start, int end)
        {
            if (blockIndex == failingBlock)
                throw new InvalidOperationException($"block {blockIndex} failed");
            Interlocked.Increment(ref ran[0]);
        }
    }

    [TestCase(1)]
    [TestCase(2)]
    public void CompleteThrowsTheJobsOwnExceptionNamingTheJob(int workers)
    {
        using var scheduler = new JobScheduler(workers);
        var original = new InvalidOperationException("boom");
        var handle = scheduler.Schedule(new ThrowingJob(original));

        var error = Assert.Throws<AggregateException>(() => scheduler.Complete(handle))!;
        Assert.Multiple(() =>
        {
            Assert.That(error.InnerExceptions, Is.EqualTo(new[] { original }));
            Assert.That(error.Message, Does.Contain(nameof(ThrowingJob)).And.Contain("boom"));
            Assert.That(handle.IsCompleted, Is.True);
        });
    }

    [TestCase(1)]
    [TestCase(3)]
    public void DependentsOfAFailedJobDoNotRunAndReportTheOriginalException(int workers)
    {
        using var scheduler = new JobScheduler(workers);
        var original = new InvalidOperationException("boom");
        var target = new int[1];
        var failing = scheduler.Schedule(new ThrowingJob(original));
        var dependent = scheduler.Schedule(new WriteJob(target, 1), failing);
        var grandchild = scheduler.Schedule(new WriteJob(target, 2), dependent);

        var error = Assert.Throws<AggregateException>(() => scheduler.Complete(grandchild))!;
        Assert.Multiple(() =>
        {
            Assert.That(error.InnerExceptions, Is.EqualTo(new[] { original }));
            Assert.That(error.Message, Does.Contain(nameof(WriteJob)).And.Contain(nameof(ThrowingJob)));
            Assert.That(target[0], Is.Zero, "a dependent of the failed job ran");
        });
        // The failures of the handles nobody completed are reported once, by CompleteAll.
        var rest = Assert.Throws<AggregateException>(scheduler.CompleteAll)!;
        Assert.That(rest.InnerExceptions, Is.EqualTo(new[] { original }));
    }

    [TestCase(1)]
    [TestCase(2)]
    public void SchedulerStaysUsableAfterAFailure(int workers)
    {
        using var scheduler = new JobScheduler(workers);
        Assert.Throws<AggregateException>(() => scheduler.Complete(scheduler.Schedule(new ThrowingJob(new Exception("x")))));

        var target = new int[1];
        scheduler.Complete(scheduler.Schedule(new WriteJob(target, 5)));
        scheduler.CompleteAll();
        Assert.That(target[0], Is.EqualTo(5));
    }

    [Test]
    public void AFailedHandleCountsAsCompletedOnceItsFailureWasReported()
    {
        using var scheduler = new JobScheduler(2);
        var failing = scheduler.Schedule(new ThrowingJob(new Exception("x")));
        var target = new int[1];
        var cancelled = scheduler.Schedule(new WriteJob(target, 1), failing);
        Assert.Throws<AggregateException>(() => scheduler.Complete(failing));

        scheduler.Complete(scheduler.Schedule(new WriteJob(target, 2), failing));
        Assert.That(target[0], Is.EqualTo(2), "scheduled after the report: runs");
        Assert.Throws<AggregateException>(() => scheduler.Complete(cancelled), "scheduled before the report: cancelled");
    }

    [TestCase(1)]
    [TestCase(3)]
    public void AFailingBlockFailsTheParallelFor(int workers)
    {
        using var scheduler = new JobScheduler(workers);
        var ran = new int[1];
        var handle = scheduler.ScheduleParallelFor(new ThrowInBlockJob(5, ran), 1000, 10);
        var error = Assert.Throws<AggregateException>(() => scheduler.Complete(handle))!;
        Assert.Multiple(() =>
        {
            Assert.That(error.InnerExceptions.Single().Message, Is.EqualTo("block 5 failed"));
            Assert.That(error.Message, Does.Contain(nameof(ThrowInBlockJob)));
            Assert.That(ran[0], Is.LessThanOrEqualTo(99), "the failed block never counts as run");
            if (workers == 1)
                Assert.That(ran[0], Is.EqualTo(5), "inline, blocks run in order and the rest are skipped after the failure");
        });
    }

    [Test]
    public void CombinedHandleCarriesEveryInputsFailure()
    {
        using var scheduler = new JobScheduler(2);
        var first = new InvalidOperationException("first");
        var second = new ArgumentException("second");
        var both = JobHandle.Combine(scheduler.Schedule(new ThrowingJob(first)), scheduler.Schedule(new ThrowingJob(second)));
        var error = Assert.Throws<AggregateException>(() => scheduler.Complete(both))!;
        Assert.That(error.InnerExceptions, Is.EquivalentTo(new Exception[] { first, second }));
        Assert.Throws<AggregateException>(scheduler.CompleteAll);
        scheduler.CompleteAll();   // everything reported: nothing left to throw
    }

    [Test]
    public void UseAfterDisposeThrows()
    {
        var scheduler = new JobScheduler(2);
        scheduler.Dispose();
        scheduler.Dispose();
        Assert.That(() => scheduler.Schedule(new WriteJob(new int[1], 1)), Throws.TypeOf<ObjectDisposedException>());
    }
}
