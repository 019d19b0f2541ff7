using EcsNeural.Ecs.Jobs;

namespace EcsNeural.Tests.Jobs;

/// <summary>
/// Complete inside a job on work that cannot finish before that job returns is refused with an
/// InvalidOperationException (instead of hanging), which fails the waiting job; waits that can end
/// still work. Every body runs under <see cref="Deadline"/>, so a broken detection fails, not hangs.
/// </summary>
public class SelfWaitTests
{
    private static readonly string CountJobName = typeof(CountJob).FullName!;

    /// <summary>How a job's nested wait reaches back to the job itself.</summary>
    public enum Route
    {
        /// <summary>It completes its own handle.</summary>
        OwnHandle,
        /// <summary>It completes a job scheduled on its own handle.</summary>
        Direct,
        /// <summary>It completes a job scheduled on a job scheduled on its own handle.</summary>
        ThroughIntermediate,
        /// <summary>It completes a combination of two jobs scheduled on its own handle.</summary>
        ThroughCombined,
    }

    private struct CountJob(int[] ran) : IJob
    {
        public readonly void Execute() => Interlocked.Increment(ref ran[0]);
    }

    private struct SelfWaitingJob(JobScheduler scheduler, Route route, HandleSlot self, HandleSlot awaited, int[] ran) : IJob
    {
        public readonly void Execute()
        {
            var own = self.Get();
            var handle = route switch
            {
                Route.OwnHandle => own,
                Route.Direct => scheduler.Schedule(new CountJob(ran), own),
                Route.ThroughIntermediate => scheduler.Schedule(new CountJob(ran), scheduler.Schedule(new CountJob(ran), own)),
                _ => JobHandle.Combine(scheduler.Schedule(new CountJob(ran), own), scheduler.Schedule(new CountJob(ran), own)),
            };
            awaited.Set(handle);
            scheduler.Complete(handle);
        }
    }

    /// <summary>Block 0 waits for a job scheduled on the parallel-for its block belongs to.</summary>
    private struct BlockWaitingOnItsOwnLoopJob(JobScheduler scheduler, HandleSlot self, int[] ran) : IJobParallelFor
    {
        public readonly void Execute(int blockIndex, int start, int end)
        {
            if (blockIndex == 0)
                scheduler.Complete(scheduler.Schedule(new CountJob(ran), self.Get()));
        }
    }

    /// <summary>
    /// Schedules a child that must wait for a first job, then <see cref="NestedWaitingJob"/>, and completes the
    /// child: the child is not ready, so the waiting thread helps with ready work, newest first, and runs the
    /// nested job inside this wait.
    /// </summary>
    private struct OuterJob(JobScheduler scheduler, HandleSlot self, HandleSlot nested, HandleSlot awaited, int[] ran) : IJob
    {
        public readonly void Execute()
        {
            var child = scheduler.Schedule(new CountJob(ran), scheduler.Schedule(new CountJob(ran)));
            nested.Set(scheduler.Schedule(new NestedWaitingJob(scheduler, self, awaited, ran)));
            scheduler.Complete(child);
        }
    }

    /// <summary>Waits for a job scheduled on <see cref="OuterJob"/>, which it runs nested inside.</summary>
    private struct NestedWaitingJob(JobScheduler scheduler, HandleSlot outer, HandleSlot awaited, int[] ran) : IJob
    {
        public readonly void Execute()
        {
            var handle = scheduler.Schedule(new CountJob(ran), outer.Get());
            awaited.Set(handle);
            scheduler.Complete(handle);
        }
    }

    /// <summary>Nests <c>depth</c> levels deep; the innermost waits for a job scheduled on the outermost.</summary>
    private struct LevelJob(JobScheduler scheduler, int depth, HandleSlot outermost, HandleSlot awaited, int[] ran) : IJob
    {
        public readonly void Execute()
        {
            if (depth > 0)
            {
                scheduler.Complete(scheduler.Schedule(new LevelJob(scheduler, depth - 1, outermost, awaited, ran)));
                return;
            }
            var handle = scheduler.Schedule(new CountJob(ran), outermost.Get());
            awaited.Set(handle);
            scheduler.Complete(handle);
        }
    }

    /// <summary>Waits for nested work that does not depend on any running job.</summary>
    private struct IndependentWaitJob(JobScheduler scheduler, JobHandle earlier, JobScheduler other, int[] ran) : IJob
    {
        public readonly void Execute()
        {
            scheduler.Complete(scheduler.Schedule(new CountJob(ran)));
            scheduler.Complete(scheduler.Schedule(new CountJob(ran), earlier));
            scheduler.Complete(JobHandle.Combine(scheduler.Schedule(new CountJob(ran)), scheduler.Schedule(new CountJob(ran), earlier)));
            scheduler.Complete(JobHandle.Combine(earlier, scheduler.Schedule(new CountJob(ran))));
            other.Complete(other.Schedule(new CountJob(ran)));
            Interlocked.Increment(ref ran[0]);
        }
    }

    private static AggregateException Failure(JobScheduler scheduler, JobHandle handle)
    {
        try
        {
            scheduler.Complete(handle);
        }
        catch (AggregateException error)
        {
            return error;
        }
        throw new AssertionException("Complete did not throw");
    }

    [Test]
    public void AJobWaitingOnItselfFailsWithANamedRefusalAndTheSchedulerStaysUsable([Values(1, 2, 4)] int workers, [Values] Route route)
    {
        AggregateException? waiterFailure = null, awaitedFailure = null, unreported = null;
        var ran = new int[1];
        int ranBeforeLaterJobs = -1;
        Deadline.Run(() =>
        {
            using var scheduler = new JobScheduler(workers);
            var self = new HandleSlot();
            var awaited = new HandleSlot();
            var waiter = scheduler.Schedule(new SelfWaitingJob(scheduler, route, self, awaited, ran));
            self.Set(waiter);

            waiterFailure = Failure(scheduler, waiter);
            if (route != Route.OwnHandle)
                awaitedFailure = Failure(scheduler, awaited.Get());
            try
            {
                scheduler.CompleteAll();   // reports the failed jobs between the waiter and what it awaited
            }
            catch (AggregateException error)
            {
                unreported = error;
            }
            scheduler.CompleteAll();   // every failure has been reported: nothing left to throw
            ranBeforeLaterJobs = ran[0];

            scheduler.Complete(scheduler.Schedule(new CountJob(ran), waiter));
            scheduler.Complete(scheduler.Schedule(new CountJob(ran)));
        });

        var refusal = waiterFailure!.InnerExceptions.Single();
        string waiting = typeof(SelfWaitingJob).FullName!;
        string awaitedName = route is Route.OwnHandle ? waiting : route is Route.ThroughCombined ? "combined handle" : CountJobName;
        string relation = route is Route.OwnHandle ? $"which is {waiting} itself" : $"which depends on {waiting} itself";
        Assert.Multiple(() =>
        {
            Assert.That(refusal, Is.TypeOf<InvalidOperationException>());
            Assert.That(refusal.Message, Does.StartWith($"Job {waiting} called Complete({awaitedName}), {relation}"));
            Assert.That(refusal.Message, Does.Contain("continuation"));
            if (route != Route.OwnHandle)
                Assert.That(awaitedFailure!.InnerExceptions.Single(), Is.SameAs(refusal), "the awaited job failed with the waiter");
            if (route is Route.ThroughIntermediate or Route.ThroughCombined)
                Assert.That(unreported!.InnerExceptions.Single(), Is.SameAs(refusal), "the jobs in between failed with the waiter");
            else
                Assert.That(unreported, Is.Null, "no other job failed");
            Assert.That(ranBeforeLaterJobs, Is.Zero, "jobs that depend on the failed waiter never ran");
            Assert.That(ran[0], Is.EqualTo(2), "jobs scheduled after the failure was reported ran");
        });
    }

    [TestCase(1)]
    [TestCase(2)]
    [TestCase(4)]
    public void ABlockWaitingOnItsOwnParallelForFailsIt(int workers)
    {
        AggregateException? failure = null, unreported = null;
        var ran = new int[1];
        Deadline.Run(() =>
        {
            using var scheduler = new JobScheduler(workers);
            var self = new HandleSlot();
            var loop = scheduler.ScheduleParallelFor(new BlockWaitingOnItsOwnLoopJob(scheduler, self, ran), 8, 1);
            self.Set(loop);
            failure = Failure(scheduler, loop);
            try
            {
                scheduler.CompleteAll();   // the job scheduled on the loop failed with it and nobody completed it
            }
            catch (AggregateException error)
            {
                unreported = error;
            }
        });
        string loopName = typeof(BlockWaitingOnItsOwnLoopJob).FullName!;
        Assert.Multiple(() =>
        {
            Assert.That(failure!.InnerExceptions.Single(), Is.TypeOf<InvalidOperationException>());
            Assert.That(failure.InnerExceptions.Single().Message,
                Does.StartWith($"Job {loopName} called Complete({CountJobName}), which depends on {loopName} itself"));
            Assert.That(unreported!.InnerExceptions.Single(), Is.SameAs(failure.InnerExceptions.Single()));
            Assert.That(ran[0], Is.Zero);
        });
    }

    [TestCase(1)]
    [TestCase(2)]
    [TestCase(4)]
    public void AJobRunNestedInsideAnotherJobsWaitMustNotWaitOnThatJob(int workers)
    {
        AggregateException? nestedFailure = null;
        var ran = new int[1];
        Deadline.Run(() =>
        {
            using var scheduler = new JobScheduler(workers);
            var self = new HandleSlot();
            var nested = new HandleSlot();
            var awaited = new HandleSlot();
            using (new BackgroundWorkerHold(scheduler))
            {
                var outer = scheduler.Schedule(new OuterJob(scheduler, self, nested, awaited, ran));
                self.Set(outer);
                scheduler.Complete(outer);   // the refusal fails the nested job only
                nestedFailure = Failure(scheduler, nested.Get());
                scheduler.Complete(awaited.Get());   // scheduled on the outer job, which succeeded: runs
            }
            scheduler.CompleteAll();
        });
        string outerName = typeof(OuterJob).FullName!, nestedName = typeof(NestedWaitingJob).FullName!;
        Assert.Multiple(() =>
        {
            Assert.That(nestedFailure!.InnerExceptions.Single(), Is.TypeOf<InvalidOperationException>());
            Assert.That(nestedFailure.InnerExceptions.Single().Message, Does.StartWith(
                $"Job {nestedName} called Complete({CountJobName}), which depends on {outerName}, "
                + $"which is still running further up this thread's stack ({nestedName} runs nested inside its wait)"));
            Assert.That(ran[0], Is.EqualTo(3), "the outer job's child and its prerequisite, and the job scheduled on the outer job ran");
        });
    }

    [TestCase(1)]
    [TestCase(2)]
    [TestCase(4)]
    public void TheInnermostOfManyNestedJobsMustNotWaitOnTheOutermost(int workers)
    {
        const int depth = 12;   // deeper than the per-thread stack starts, so it grows
        AggregateException? outerFailure = null, awaitedFailure = null;
        var ran = new int[1];
        Deadline.Run(() =>
        {
            using var scheduler = new JobScheduler(workers);
            var outermost = new HandleSlot();
            var awaited = new HandleSlot();
            using (new BackgroundWorkerHold(scheduler))
            {
                var outer = scheduler.Schedule(new LevelJob(scheduler, depth, outermost, awaited, ran));
                outermost.Set(outer);
                outerFailure = Failure(scheduler, outer);
            }
            awaitedFailure = Failure(scheduler, awaited.Get());
            scheduler.CompleteAll();
        });
        string levelName = typeof(LevelJob).FullName!;
        // Each level's Complete rethrows the level below's failure, wrapped once more.
        var refusal = outerFailure!.Flatten().InnerExceptions.Single();
        Assert.Multiple(() =>
        {
            Assert.That(refusal, Is.TypeOf<InvalidOperationException>());
            Assert.That(refusal.Message, Does.StartWith(
                $"Job {levelName} called Complete({CountJobName}), which depends on {levelName}, which is still running further up"));
            Assert.That(awaitedFailure!.Flatten().InnerExceptions.Single(), Is.SameAs(refusal));
            Assert.That(ran[0], Is.Zero);
        });
    }

    [TestCase(1)]
    [TestCase(2)]
    [TestCase(4)]
    public void NestedWaitsThatDoNotDependOnARunningJobStillWork(int workers)
    {
        var ran = new int[1];
        Deadline.Run(() =>
        {
            using var scheduler = new JobScheduler(workers);
            using var other = new JobScheduler(workers);
            var earlier = scheduler.Schedule(new CountJob(ran));
            scheduler.Complete(earlier);   // its record is recycled and reused by the nested jobs below
            var waiter = scheduler.Schedule(new IndependentWaitJob(scheduler, earlier, other, ran));
            // Jobs downstream of the waiter give the walk from it something to search.
            var downstream = scheduler.Schedule(new CountJob(ran), JobHandle.Combine(waiter, scheduler.Schedule(new CountJob(ran), waiter)));
            scheduler.Complete(downstream);
        });
        Assert.That(ran[0], Is.EqualTo(1 + 6 + 1 + 2), "earlier, the waiter's nested jobs, the waiter, downstream");
    }
}
