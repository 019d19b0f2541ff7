using EcsNeural.Ecs.Jobs;

namespace EcsNeural.Tests.Jobs;

public class NestedWaitTests
{
    private struct LeafJob(int[] results, int index) : IJob
    {
        public readonly void Execute() => Interlocked.Increment(ref results[index]);
    }

    /// <summary>Schedules a child job and waits for it inside its own Execute.</summary>
    private struct ParentJob(JobScheduler scheduler, int[] results, int index) : IJob
    {
        [ThreadStatic] private static int _depth;
        public static int MaxDepth;

        public readonly void Execute()
        {
            int depth = ++_depth;
            InterlockedMax(ref MaxDepth, depth);
            scheduler.Complete(scheduler.Schedule(new LeafJob(results, index)));
            Interlocked.Increment(ref results[index]);
            _depth--;
        }

        private static void InterlockedMax(ref int target, int value)
        {
            int seen;
            while (value > (seen = Volatile.Read(ref target)) && Interlocked.CompareExchange(ref target, value, seen) != seen)
            {
            }
        }
    }

    /// <summary>Each block schedules a parallel-for of its own and waits for it.</summary>
    private struct OuterBlocksJob(JobScheduler scheduler, int[] results) : IJobParallelFor
    {
        public readonly void Execute(int blockIndex, int start, int end)
        {
            var inner = scheduler.ScheduleParallelFor(new InnerItemsJob(results, blockIndex), 64, 8);
            scheduler.Complete(scheduler.Schedule(new LeafJob(results, blockIndex), inner));
        }
    }

    private struct InnerItemsJob(int[] results, int outerBlock) : IJobParallelFor
    {
        public readonly void Execute(int blockIndex, int start, int end) =>
            Interlocked.Add(ref results[outerBlock], end - start);
    }

    private struct CompleteAllInsideJob(JobScheduler scheduler) : IJob
    {
        public readonly void Execute() => scheduler.CompleteAll();
    }

    [TestCase(1)]
    [TestCase(2)]
    public void JobThatCompletesItsChildDoesNotDeadlock(int workers)
    {
        var results = new int[1];
        Deadline.Run(() =>
        {
            using var scheduler = new JobScheduler(workers);
            scheduler.Complete(scheduler.Schedule(new ParentJob(scheduler, results, 0)));
        });
        Assert.That(results[0], Is.EqualTo(2), "child and parent both ran");
    }

    [TestCase(1)]
    [TestCase(2)]
    [TestCase(8)]
    public void ManyParentsWaitingOnChildrenAtOnceDoNotDeadlock(int workers)
    {
        var results = new int[200];
        Deadline.Run(() =>
        {
            using var scheduler = new JobScheduler(workers);
            for (int i = 0; i < results.Length; i++)
                scheduler.Schedule(new ParentJob(scheduler, results, i));
            scheduler.CompleteAll();
        });
        Assert.That(results, Is.All.EqualTo(2));
    }

    [Test]
    public void AWaitingJobRunsItsOwnChildFirstSoNestingStaysShallow()
    {
        var results = new int[2000];
        ParentJob.MaxDepth = 0;
        Deadline.Run(() =>
        {
            using var scheduler = new JobScheduler(1);
            for (int i = 0; i < results.Length; i++)
                scheduler.Schedule(new ParentJob(scheduler, results, i));
            scheduler.CompleteAll();
        });
        Assert.Multiple(() =>
        {
            Assert.That(results, Is.All.EqualTo(2));
            Assert.That(ParentJob.MaxDepth, Is.EqualTo(1), "parents running inside other parents' waits");
        });
    }

    [TestCase(1)]
    [TestCase(2)]
    [TestCase(3)]
    public void BlocksThatWaitOnNestedParallelForsDoNotDeadlock(int workers)
    {
        var results = new int[40];
        Deadline.Run(() =>
        {
            using var scheduler = new JobScheduler(workers);
            scheduler.Complete(scheduler.ScheduleParallelFor(new OuterBlocksJob(scheduler, results), results.Length, 1));
        });
        Assert.That(results, Is.All.EqualTo(65), "64 inner items plus the leaf, per outer block");
    }

    [Test]
    public void CompleteAllInsideAJobIsRefused()
    {
        using var scheduler = new JobScheduler(2);
        var error = Assert.Throws<AggregateException>(() => scheduler.Complete(scheduler.Schedule(new CompleteAllInsideJob(scheduler))))!;
        Assert.That(error.InnerExceptions.Single(), Is.TypeOf<InvalidOperationException>());
    }
}
