namespace EcsNeural.Ecs.Jobs;

/// <summary>
/// Where one kind of a scheduler's threads park when they have nothing to do (background workers waiting for ready
/// work, or threads in <see cref="JobScheduler.Complete"/> waiting for a job to finish). A parking thread counts itself,
/// fences, re-checks its condition and waits, all under this lock; a thread that changes such a condition does so first,
/// fences, and wakes only when <see cref="Any"/> is true. Either the parking thread sees the change, or the waking
/// thread sees it counted and its pulse (under the same lock) reaches it in its wait: no wake-up is lost.
/// </summary>
internal sealed class IdleThreads
{
    private readonly object _lock = new();
    private volatile int _parked;   // written under the lock

    /// <summary>Whether some thread is parked or about to be; read after a full fence.</summary>
    public bool Any => _parked != 0;

    /// <summary>Parks the calling thread if <paramref name="condition"/> still says so once it is counted; returns when woken.</summary>
    /// <remarks>A struct condition, so the check is inlined and parking allocates nothing.</remarks>
    public void Park<TCondition>(in TCondition condition) where TCondition : struct, IParkCondition
    {
        lock (_lock)
        {
            _parked++;
            Interlocked.MemoryBarrier();
            if (condition.MustWait())
                Monitor.Wait(_lock);
            _parked--;
        }
    }

    /// <summary>Wakes up to <paramref name="threads"/> parked threads.</summary>
    public void Wake(int threads)
    {
        lock (_lock)
        {
            for (int i = 0; i < threads && i < _parked; i++)
                Monitor.Pulse(_lock);
        }
    }

    /// <summary>Wakes every parked thread.</summary>
    public void WakeAll()
    {
        lock (_lock)
            Monitor.PulseAll(_lock);
    }
}

/// <summary>What a parking thread re-checks after counting itself: whether it still has nothing to do.</summary>
internal interface IParkCondition
{
    /// <summary>True when the thread should wait.</summary>
    bool MustWait();
}
