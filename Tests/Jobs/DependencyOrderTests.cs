using EcsNeural.Ecs.Jobs;

namespace EcsNeural.Tests.Jobs;

public class DependencyOrderTests
{
    /// <summary>Stamps its finishing order and counts a violation if a prerequisite has no stamp yet.</summary>
    private struct StampJob(int[] stamps, int[] counter, int[] violations, int self, int[] prerequisites) : IJob
    {
        public readonly void Execute()
        {
            foreach (int p in prerequisites)
            {
                if (Volatile.Read(ref stamps[p]) == 0)
                    Interlocked.Increment(ref violations[0]);
            }
            Thread.SpinWait(200);   // widen the window in which a wrong order would show
            Volatile.Write(ref stamps[self], Interlocked.Increment(ref counter[0]));
        }
    }

    private struct AddOneJob(int[] values) : IJobParallelFor
    {
        public readonly void Execute(int blockIndex, int start, int end)
        {
            for (int i = start; i < end; i++)
                values[i]++;
        }
    }

    private struct DoubleJob(int[] values) : IJobParallelFor
    {
        public readonly void Execute(int blockIndex, int start, int end)
        {
            for (int i = start; i < end; i++)
                values[i] *= 2;
        }
    }

    [TestCase(1)]
    [TestCase(2)]
    [TestCase(3)]
    [TestCase(8)]
    public void RandomGraphRunsEveryJobAfterItsPrerequisites(int workers)
    {
        const int jobCount = 300;
        var random = new Random(1234);
        var stamps = new int[jobCount];
        var counter = new int[1];
        var violations = new int[1];
        var handles = new JobHandle[jobCount];
        Deadline.Run(() =>
        {
            using var scheduler = new JobScheduler(workers);
            for (int i = 0; i < jobCount; i++)
            {
                int[] prerequisites = i == 0 ? [] : Enumerable.Range(0, random.Next(0, 4)).Select(_ => random.Next(0, i)).ToArray();
                var dependsOn = JobHandle.Combine(prerequisites.Select(p => handles[p]).ToArray());
                handles[i] = scheduler.Schedule(new StampJob(stamps, counter, violations, i, prerequisites), dependsOn);
            }
            scheduler.Complete(JobHandle.Combine(handles));
        });
        Assert.Multiple(() =>
        {
            Assert.That(violations[0], Is.Zero, "jobs that started before a prerequisite finished");
            Assert.That(stamps, Is.All.Positive, "every job ran");
            Assert.That(stamps.Distinct().Count(), Is.EqualTo(jobCount), "every job ran once");
        });
    }

    [TestCase(1)]
    [TestCase(2)]
    [TestCase(8)]
    public void ChainedParallelForsApplyInOrder(int workers)
    {
        using var scheduler = new JobScheduler(workers);
        var values = new int[10_000];
        var handle = default(JobHandle);
        for (int step = 0; step < 10; step++)
        {
            handle = scheduler.ScheduleParallelFor(new AddOneJob(values), values.Length, 97, handle);
            handle = scheduler.ScheduleParallelFor(new DoubleJob(values), values.Length, 500, handle);
        }
        scheduler.Complete(handle);

        int expected = 0;
        for (int step = 0; step < 10; step++)
            expected = (expected + 1) * 2;
        Assert.That(values, Is.All.EqualTo(expected));
    }
}
