namespace EcsNeural.Tests.Jobs;

/// <summary>Runs a test body on its own thread so a deadlock fails the test instead of hanging the run.</summary>
internal static class Deadline
{
    public static void Run(Action body, int seconds = 10)
    {
        var task = Task.Factory.StartNew(body, TaskCreationOptions.LongRunning);
        Assert.That(task.Wait(TimeSpan.FromSeconds(seconds)), Is.True, $"did not finish within {seconds} s (deadlock?)");
    }
}
