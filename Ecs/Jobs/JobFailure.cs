namespace EcsNeural.Ecs.Jobs;

/// <summary>An exception thrown by a job, with the name of the job type that threw it.</summary>
internal sealed class JobFailure(string jobName, Exception error)
{
    public Exception Error { get; } = error;

    public override string ToString() => $"{jobName} threw {Error.GetType().Name}: {Error.Message}";
}
