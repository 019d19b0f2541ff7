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
