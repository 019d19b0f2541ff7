namespace EcsNeural.Ecs.Jobs;

/// <summary>
/// A single unit of work scheduled with <see cref="JobScheduler.Schedule{TJob}"/>. Implement it on a
/// struct: the scheduler stores the struct without boxing and calls <see cref="Execute"/> once, on
/// whichever thread takes it.
/// </summary>
public interface IJob
{
    /// <summary>Runs the job.</summary>
    void Execute();
}
