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
    public int BlockCount;                      // written before the claim word opens; fixed while scheduled
    public bool Queued;                         // gate; in the scheduler's ready queue
    public int BlocksRemaining;                 // Interlocked
    public int PendingPrerequisites;            // gate
    public List<JobRecord>? Dependents;         // gate; kept across reuse so it stops allocating
    public List<JobFailure>? Failures;          // gate; null unless this job or a prerequisite failed
    public volatile bool Faulted;               // lets remaining blocks skip work after a failure
    public long WalkStamp;                      // gate; the last dependency walk that reached this record

    // Generation << 32 | next unclaimed block. Claims are compare-and-swap on this word, never under a lock; the
    // generation in it makes a claim through a stale reference (the record finished and was reused) fail.
    private long _claim;
    private const int ClosedClaims = int.MaxValue;

    /// <summary>Makes no block claimable until <see cref="OpenClaims"/> (the prerequisites are not done yet).</summary>
    public void CloseClaims() => Volatile.Write(ref _claim, (long)Generation << 32 | ClosedClaims);

    /// <summary>Makes blocks 0 … <see cref="BlockCount"/> − 1 claimable; <see cref="BlockCount"/> must be set before.</summary>
    public void OpenClaims() => Volatile.Write(ref _claim, (long)Generation << 32);

    /// <summary>Whether some block of the current generation is still unclaimed.</summary>
    public bool HasUnclaimedBlocks => (int)Volatile.Read(ref _claim) < BlockCount;

    /// <summary>
    /// Claims the next unclaimed block of the job of <paramref name="generation"/>, lock-free; false when every block
    /// is claimed, the job is not ready yet or the record has moved on to another generation.
    /// </summary>
    public bool TryClaim(int generation, out int block)
    {
        long word = Volatile.Read(ref _claim);
        while ((int)(word >> 32) == generation)
        {
            int next = (int)word;
            if (next >= BlockCount)   // a newer generation's count is harmless: the swap below then fails
                break;
            long seen = Interlocked.CompareExchange(ref _claim, word + 1, word);
            if (seen == word)
            {
                block = next;
                return true;
            }
            word = seen;
        }
        block = 0;
        return false;
    }

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
        CloseClaims();   // before the record can be reused, so a claim through a stale reference fails
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
