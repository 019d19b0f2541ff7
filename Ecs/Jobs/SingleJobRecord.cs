namespace EcsNeural.Ecs.Jobs;

/// <summary>A pooled record holding one <see cref="IJob"/> struct; it has exactly one block.</summary>
internal sealed class SingleJobRecord<TJob>(JobScheduler scheduler) : JobRecord(scheduler, KindIndex)
    where TJob : struct, IJob
{
    public static readonly int KindIndex = RecordKinds.Next();
    private static readonly string Name = typeof(TJob).FullName ?? typeof(TJob).Name;

    public TJob Job;

    public override string JobName => Name;

    public override void Run(int block)
    {
        var job = Job;
        job.Execute();
    }

    protected override void ClearJob() => Job = default;
}
