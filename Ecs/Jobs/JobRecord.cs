namespace EcsNeural.Ecs.Jobs;

/// <summary>
/// One scheduled job: its dependency bookkeeping and its blocks of work. Records are pooled per job
/// type and reused; a <see cref="JobHandle"/> names a record together with its generation, and the
/// generation moves on when the record is recycled, so a stale handle reads as completed.
/// </summary>
/// <remarks>
/// Fields marked "gate" are only touched while holding the owning scheduler's lock.
/// </remarks>
internal abstract class JobRecord
{
    private const int FailedState = 1;
    private const int GenerationMask = 0x1FFF_FFFF;   // generation << 1 must stay a positive int

    // Generation and state packed in one int, so a handle check is a single volatile read.
    private volatile int _status;

    protected JobRecord(JobScheduler scheduler, int kind)
    {
        Scheduler = scheduler;
        Kind = kind;
    }

    public JobScheduler Scheduler { get; }

    /// <summary>Index of this record's free list in its scheduler.</summary>
    public int Kind { get; }

    /// <summary>Name used in failure messages.</summary>
    public abstract string JobName { get; }

    public int Generation => _status >> 1;

    public JobRecord? NextFree;                 // gate
    public int BlockCount;                      // gate (fixed while scheduled)
    public int NextBlock;                       // gate
    public int BlocksRemaining;                 // Interlocked
    public int PendingPrerequisites;            // gate
    public List<JobRecord>? Dependents;         // gate; kept across reuse so it stops allocating
    public List<JobFailure>? Failures;          // gate; null unless this job or a prerequisite failed
    public volatile bool Faulted;               // lets remaining blocks skip work after a failure
    public long WalkStamp;                      // gate; the last dependency walk that reached this record

    /// <summary>True when the handle of that generation needs no more waiting (done, failed or recycled).</summary>
    public bool IsDone(int generation)
    {
        int status = _status;
        return status >> 1 != generation || (status & FailedState) != 0;
    }

    public bool IsFailed(int generation) => _status == (generation << 1 | FailedState);

    public void MarkFailed() => _status = _status | FailedState;

    /// <summary>Forgets the job and moves to the next generation, which completes every handle to it.</summary>
    public void Recycle()
    {
        ClearJob();
        Failures = null;
        Faulted = false;
        _status = ((Generation + 1) & GenerationMask) << 1;
    }

    public void AddFailures(List<JobFailure> failures)
    {
        Failures ??= new List<JobFailure>(failures.Count);
        foreach (var failure in failures)
        {
            if (!Failures.Contains(failure))
                Failures.Add(failure);
        }
    }

    /// <summary>Runs one block of the job.</summary>
    public abstract void Run(int block);

    /// <summary>Drops the stored job so the pool keeps nothing alive.</summary>
    protected abstract void ClearJob();
}
