namespace EcsNeural.Ecs.Jobs;

/// <summary>
/// A pooled record holding one <see cref="IJobParallelFor"/> struct and its item range. Block
/// <c>b</c> covers <c>[b * BlockSize, min((b + 1) * BlockSize, Count))</c>: the partition depends on
/// the count and block size only, never on which or how many threads run it.
/// </summary>
internal sealed class ParallelForJobRecord<TJob>(JobScheduler scheduler) : JobRecord(scheduler, KindIndex)
    where TJob : struct, IJobParallelFor
{
    public static readonly int KindIndex = RecordKinds.Next();
    private static readonly string Name = typeof(TJob).FullName ?? typeof(TJob).Name;

    public TJob Job;
    public int Count;
    public int BlockSize;

    public override string JobName => Name;

    public override void Run(int block)
    {
        int start = block * BlockSize;
        int end = Count - start <= BlockSize ? Count : start + BlockSize;   // no overflow near int.MaxValue
        var job = Job;   // each block gets its own copy, so blocks never share the struct's fields
        job.Execute(block, start, end);
    }

    protected override void ClearJob() => Job = default;
}
