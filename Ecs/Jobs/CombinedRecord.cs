namespace EcsNeural.Ecs.Jobs;

/// <summary>A record with no work of its own: it completes when all of its prerequisites have.</summary>
internal sealed class CombinedRecord(JobScheduler scheduler) : JobRecord(scheduler, KindIndex)
{
    public static readonly int KindIndex = RecordKinds.Next();

    public override string JobName => "combined handle";

    public override void Run(int block) =>
        throw new InvalidOperationException("A combined handle has no blocks to run.");

    protected override void ClearJob()
    {
    }
}
