using EcsNeural.Ecs.Jobs;

namespace EcsNeural.Tests.Jobs;

public class DisposeTests
{
    private struct SlowJob(ManualResetEventSlim started, int[] finished) : IJob
    {
        public readonly void Execute()
        {
            started.Set();
            Thread.Sleep(100);
            Volatile.Write(ref finished[0], 1);
        }
    }

    private struct BusyBlocksJob : IJobParallelFor
    {
        public readonly void Execute(int blockIndex, int start, int end) => Thread.SpinWait(1000);
    }

    /// <summary>Linux thread ids of this process whose kernel name is a job worker's.</summary>
    private static HashSet<string> WorkerThreadIds() =>
        Directory.GetDirectories("/proc/self/task")
            .Where(task => File.Exists(Path.Combine(task, "comm")) &&
                           File.ReadAllText(Path.Combine(task, "comm")).StartsWith("EcsNeural job", StringComparison.Ordinal))
            .Select(Path.GetFileName)
            .ToHashSet()!;

    private static char StateOf(string threadId)
    {
        string stat = File.ReadAllText($"/proc/self/task/{threadId}/stat");
        return stat[stat.LastIndexOf(')') + 2];   // field 3, after "pid (comm) "
    }

    [Test]
    [Platform("Linux")]
    public void IdleWorkersSleepAndDisposeEndsThem()
    {
        var before = WorkerThreadIds();
        var scheduler = new JobScheduler(4);
        scheduler.Complete(scheduler.ScheduleParallelFor(new BusyBlocksJob(), 64, 1));
        var ours = WorkerThreadIds();
        ours.ExceptWith(before);
        Assert.That(ours, Has.Count.EqualTo(3), "background threads for 4 workers");

        Thread.Sleep(100);   // well past the short spin before blocking
        for (int sample = 0; sample < 5; sample++)
        {
            Assert.That(ours.Select(StateOf), Is.All.EqualTo('S'), "idle workers must be asleep, not spinning");
            Thread.Sleep(20);
        }

        scheduler.Dispose();
        // Join returns once the managed threads are done; the kernel may list them a moment longer.
        Assert.That(() => WorkerThreadIds().Intersect(ours), Is.Empty.After(2000, 10), "worker threads still exist after Dispose");
    }

    [Test]
    public void DisposeJoinsWorkersAfterTheBlockTheyAreRunning()
    {
        using var started = new ManualResetEventSlim();
        var finished = new int[1];
        var scheduler = new JobScheduler(2);
        scheduler.Schedule(new SlowJob(started, finished));
        Assert.That(started.Wait(TimeSpan.FromSeconds(5)), Is.True, "the background worker picked up the job");

        scheduler.Dispose();
        Assert.That(Volatile.Read(ref finished[0]), Is.EqualTo(1), "Dispose returned before the worker finished");
    }
}
