using System.Runtime.InteropServices;

namespace EcsNeural.Ecs.Jobs;

/// <summary>
/// Runs jobs on a fixed pool of threads, in dependency order.
/// </summary>
/// <remarks>
/// <para><see cref="WorkerCount"/> threads execute jobs in total, counting the thread that waits in
/// <see cref="Complete"/>: the scheduler starts <c>WorkerCount - 1</c> background threads, and with
/// one worker nothing runs until <see cref="Complete"/> or <see cref="CompleteAll"/> is called, then
/// everything runs inline on the calling thread.</para>
/// <para>A waiting thread helps: it runs ready blocks until its handle is done, so a job may
/// schedule and complete a nested job without deadlocking. Ready work is taken oldest first, but a
/// thread waiting inside a job takes the newest first (usually its own nested job), which keeps
/// nesting shallow.</para>
/// <para>A wait that could never end is refused: <see cref="Complete"/> called inside a job on a
/// handle that is, or transitively depends on, a job still running on the same thread (the waiting
/// job itself, or one further up the thread's stack that it runs nested inside) throws an
/// <see cref="InvalidOperationException"/>, which fails the waiting job like any exception it lets
/// escape. Not detected: a cycle through several threads, where a job waits for a job running on
/// another thread that in turn waits for work depending on the first; that still hangs.</para>
/// <para>Failures: a job that throws is failed; jobs that depend on it do not run and are failed with
/// the same exceptions. Complete on any of those handles throws an <see cref="AggregateException"/>
/// holding the original exceptions, once per handle; <see cref="CompleteAll"/> throws the failures
/// of every failed handle nobody completed (even if a dependent's Complete already showed the same
/// exception). Once reported, a failed handle counts as completed, so jobs scheduled on it
/// afterwards run. The scheduler stays usable.</para>
/// <para>Scheduling and completing allocate nothing once the record pools and queues have grown to
/// the largest workload seen.</para>
/// </remarks>
public sealed class JobScheduler : IDisposable
{
    // Rounds of SpinWait before an idle thread blocks: short, because the machine is shared.
    private const int SpinRoundsBeforeBlocking = 10;

    private readonly object _gate = new();
    private readonly Thread[] _threads;
    private readonly ReadyQueue _ready = new();
    private readonly Stack<JobRecord> _finishing = new();
    private readonly Stack<JobRecord> _walking = new();     // gate: records still to visit in a dependency walk
    private long _walkStamp;                                // gate: stamp of the latest dependency walk
    private readonly List<JobRecord> _unreportedFailures = [];
    private JobRecord?[] _freeLists = new JobRecord?[8];
    private int _outstanding;          // gate: records scheduled and not yet finished
    private int _idleWorkers;          // gate: background threads blocked in Monitor.Wait
    private int _blockedWaiters;       // gate: threads blocked in Monitor.Wait inside Complete/CompleteAll
    private volatile int _readyCount;  // mirror of _ready.Count, read without the lock
    private volatile bool _disposed;

    /// <summary>Creates a scheduler and starts <c>workerCount - 1</c> background threads.</summary>
    /// <param name="workerCount">Threads that execute jobs, including the waiting thread; at least 1.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="workerCount"/> is less than 1.</exception>
    public JobScheduler(int workerCount)
    {
        if (workerCount < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(workerCount), workerCount,
                "A job scheduler needs at least 1 worker (1 runs every job inline on the thread that completes it).");
        }
        WorkerCount = workerCount;
        _threads = new Thread[workerCount - 1];
        for (int i = 0; i < _threads.Length; i++)
        {
            _threads[i] = new Thread(WorkerLoop) { IsBackground = true, Name = $"EcsNeural job {i + 1}" };
            _threads[i].Start();
        }
    }

    /// <summary>Threads that execute jobs, counting the thread that waits in <see cref="Complete"/>.</summary>
    public int WorkerCount { get; }

    /// <summary>Number of blocks a parallel-for over <paramref name="count"/> items is split into.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A negative count or a block size below 1.</exception>
    public static int GetBlockCount(int count, int blockSize)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfLessThan(blockSize, 1);
        return count == 0 ? 0 : (count - 1) / blockSize + 1;
    }

    /// <summary>Schedules <paramref name="job"/> to run once after <paramref name="dependsOn"/> completes.</summary>
    /// <exception cref="ArgumentException"><paramref name="dependsOn"/> belongs to another scheduler.</exception>
    /// <exception cref="ObjectDisposedException">The scheduler was disposed.</exception>
    public JobHandle Schedule<TJob>(in TJob job, JobHandle dependsOn = default) where TJob : struct, IJob
    {
        CheckOwner(dependsOn, nameof(dependsOn));
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            var record = (SingleJobRecord<TJob>?)PopFree(SingleJobRecord<TJob>.KindIndex) ?? new SingleJobRecord<TJob>(this);
            record.Job = job;
            return Submit(record, 1, [dependsOn]);
        }
    }

    /// <summary>
    /// Schedules <paramref name="job"/> over <paramref name="count"/> items in blocks
    /// <c>[0, blockSize), [blockSize, 2 * blockSize), …</c> (the last one clipped at
    /// <paramref name="count"/>), after <paramref name="dependsOn"/> completes. The blocks depend only
    /// on <paramref name="count"/> and <paramref name="blockSize"/>, never on the worker count.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">A negative count or a block size below 1.</exception>
    /// <exception cref="ArgumentException"><paramref name="dependsOn"/> belongs to another scheduler.</exception>
    /// <exception cref="ObjectDisposedException">The scheduler was disposed.</exception>
    public JobHandle ScheduleParallelFor<TJob>(in TJob job, int count, int blockSize, JobHandle dependsOn = default)
        where TJob : struct, IJobParallelFor
    {
        int blockCount = GetBlockCount(count, blockSize);
        CheckOwner(dependsOn, nameof(dependsOn));
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            var record = (ParallelForJobRecord<TJob>?)PopFree(ParallelForJobRecord<TJob>.KindIndex)
                ?? new ParallelForJobRecord<TJob>(this);
            record.Job = job;
            record.Count = count;
            record.BlockSize = blockSize;
            return Submit(record, blockCount, [dependsOn]);
        }
    }

    /// <summary>
    /// Waits until <paramref name="handle"/> is complete, running ready jobs on this thread meanwhile.
    /// </summary>
    /// <exception cref="AggregateException">The job, or a job it depends on, threw; holds the original exceptions.</exception>
    /// <exception cref="ArgumentException"><paramref name="handle"/> belongs to another scheduler.</exception>
    /// <exception cref="InvalidOperationException">Called inside a job, on a handle that is or depends on a job
    /// still running on this thread (the calling job or one it runs nested inside): the wait could never end.</exception>
    /// <exception cref="ObjectDisposedException">The scheduler was disposed.</exception>
    public void Complete(JobHandle handle)
    {
        var record = handle.Record;
        if (record is null)
            return;
        CheckOwner(handle, nameof(handle));
        var running = RunningJobStack.Current;
        if (running.Count > 0 && !record.IsDone(handle.Generation))
            ThrowIfWaitingOnARunningJob(record, handle.Generation, running);
        HelpUntilDone(record, handle.Generation, running);
        if (!record.IsFailed(handle.Generation))
            return;

        List<JobFailure> failures;
        string jobName;
        lock (_gate)
        {
            if (!record.IsFailed(handle.Generation))
                return;   // another thread reported this failure first
            failures = record.Failures!;
            jobName = record.JobName;
            _unreportedFailures.Remove(record);
            Release(record);
        }
        throw CreateFailure($"Job {jobName} did not complete", failures);
    }

    /// <summary>
    /// Waits until every scheduled job is complete, running ready jobs on this thread meanwhile.
    /// </summary>
    /// <exception cref="AggregateException">Some jobs failed and no <see cref="Complete"/> reported it yet.</exception>
    /// <exception cref="InvalidOperationException">Called from inside a job, which would wait for itself.</exception>
    /// <exception cref="ObjectDisposedException">The scheduler was disposed.</exception>
    public void CompleteAll()
    {
        var running = RunningJobStack.Current;
        if (running.Count > 0)
            throw new InvalidOperationException("CompleteAll was called from inside a job; it would wait for that job itself. Complete the job's own handles instead.");
        HelpUntilDone(null, 0, running);

        List<JobFailure>? failures = null;
        lock (_gate)
        {
            foreach (var record in _unreportedFailures)
            {
                failures ??= [];
                foreach (var failure in record.Failures!)
                {
                    if (!failures.Contains(failure))
                        failures.Add(failure);
                }
                Release(record);
            }
            _unreportedFailures.Clear();
        }
        if (failures is not null)
            throw CreateFailure("Some jobs did not complete", failures);
    }

    /// <summary>Stops the background threads after the blocks they are running, and joins them.</summary>
    /// <remarks>Jobs not yet started never run; using the scheduler afterwards throws.</remarks>
    /// <exception cref="InvalidOperationException">Called from inside a job, which would join its own thread.</exception>
    public void Dispose()
    {
        if (RunningJobStack.IsInsideJob)
            throw new InvalidOperationException("A JobScheduler cannot be disposed from inside a job: it would join the thread running that job.");
        lock (_gate)
        {
            if (_disposed)
                return;
            _disposed = true;
            Monitor.PulseAll(_gate);
        }
        foreach (var thread in _threads)
            thread.Join();
    }

    internal JobHandle CombineHandles(ReadOnlySpan<JobHandle> handles)
    {
        for (int i = 0; i < handles.Length; i++)
        {
            if (handles[i].Record is { } record && record.Scheduler != this)
                throw new ArgumentException($"handles[{i}] belongs to a different JobScheduler than the first handle that names a job.", nameof(handles));
        }
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            int open = 0;
            JobHandle lastOpen = default;
            foreach (var handle in handles)
            {
                if (handle.Record is not null && (!handle.IsCompleted || handle.Record.IsFailed(handle.Generation)))
                {
                    open++;
                    lastOpen = handle;
                }
            }
            if (open <= 1)
                return lastOpen;   // nothing to wait for, or exactly one handle to wait for
            var record = (CombinedRecord?)PopFree(CombinedRecord.KindIndex) ?? new CombinedRecord(this);
            return Submit(record, 0, handles);
        }
    }

    // Refuses to wait inside a job for a record that cannot finish before that job returns. Runs only
    // when a job waits for unfinished work, so the normal path pays nothing. A running record's
    // Dependents hold every unfinished job scheduled on it, and theirs every job scheduled on those,
    // so walking them from each record on this thread's stack finds every job that waits for one.
    private void ThrowIfWaitingOnARunningJob(JobRecord awaited, int generation, RunningJobStack running)
    {
        lock (_gate)
        {
            if (awaited.IsDone(generation))
                return;
            long stamp = ++_walkStamp;   // one stamp for the whole stack: no record is walked twice
            for (int depth = running.Count - 1; depth >= 0; depth--)
            {
                var through = running[depth];
                // Another scheduler's records are guarded by its own lock, and no handle links across schedulers.
                if (through.Scheduler == this && IsReachable(awaited, through, stamp))
                    throw new InvalidOperationException(DescribeSelfWait(running[running.Count - 1], awaited, through));
            }
        }
    }

    // gate. Whether target is start or depends on it, following Dependents iteratively. Records already
    // stamped were walked before (from a record further in) without meeting target; records with no
    // dependents are only compared, never pushed, so a wide fan-out of leaves costs one check each.
    private bool IsReachable(JobRecord target, JobRecord start, long stamp)
    {
        if (start == target)
            return true;
        if (start.WalkStamp == stamp)
            return false;
        start.WalkStamp = stamp;
        _walking.Push(start);
        while (_walking.TryPop(out var record))
        {
            foreach (var dependent in CollectionsMarshal.AsSpan(record.Dependents))
            {
                if (dependent == target)
                {
                    _walking.Clear();
                    return true;
                }
                if (dependent.WalkStamp != stamp && dependent.Dependents is { Count: > 0 })
                {
                    dependent.WalkStamp = stamp;
                    _walking.Push(dependent);
                }
            }
        }
        return false;
    }

    private static string DescribeSelfWait(JobRecord waiting, JobRecord awaited, JobRecord through)
    {
        string where = through == waiting
            ? $"{waiting.JobName} itself"
            : $"{through.JobName}, which is still running further up this thread's stack ({waiting.JobName} runs nested inside its wait)";
        string relation = awaited == through ? $"is {where}" : $"depends on {where}";
        return $"Job {waiting.JobName} called Complete({awaited.JobName}), which {relation}: "
            + "that wait could never end. Inside a job, complete only nested work that does not depend on a running job; "
            + "schedule work that must follow the running job as a continuation (dependsOn its handle) and complete it "
            + "from outside, after that job has returned.";
    }

    private void CheckOwner(JobHandle handle, string parameterName)
    {
        if (handle.Record is not null && handle.Record.Scheduler != this)
            throw new ArgumentException("The handle belongs to a different JobScheduler.", parameterName);
    }

    // gate
    private JobRecord? PopFree(int kind)
    {
        if (kind >= _freeLists.Length)
            return null;
        var record = _freeLists[kind];
        if (record is not null)
        {
            _freeLists[kind] = record.NextFree;
            record.NextFree = null;
        }
        return record;
    }

    // gate
    private void Release(JobRecord record)
    {
        record.Recycle();
        if (record.Kind >= _freeLists.Length)
            Array.Resize(ref _freeLists, Math.Max(record.Kind + 1, _freeLists.Length * 2));
        record.NextFree = _freeLists[record.Kind];
        _freeLists[record.Kind] = record;
    }

    // gate
    private JobHandle Submit(JobRecord record, int blockCount, ReadOnlySpan<JobHandle> prerequisites)
    {
        record.BlockCount = blockCount;
        record.NextBlock = 0;
        record.BlocksRemaining = blockCount;
        record.PendingPrerequisites = 0;
        _outstanding++;
        foreach (var prerequisite in prerequisites)
            Link(prerequisite, record);

        var handle = new JobHandle(record);   // taken before the record can finish and be recycled
        if (record.PendingPrerequisites == 0)
            OnPrerequisitesDone(record);
        return handle;
    }

    // gate
    private static void Link(JobHandle prerequisite, JobRecord dependent)
    {
        var record = prerequisite.Record;
        if (record is null)
            return;
        if (record.IsFailed(prerequisite.Generation))
            dependent.AddFailures(record.Failures!);
        else if (!record.IsDone(prerequisite.Generation))
        {
            dependent.PendingPrerequisites++;
            (record.Dependents ??= []).Add(dependent);
        }
    }

    // gate
    private void OnPrerequisitesDone(JobRecord record)
    {
        if (record.Failures is not null || record.BlockCount == 0)
        {
            Finish(record);
            return;
        }
        _ready.Enqueue(record);
        _readyCount = _ready.Count;
        if (_idleWorkers + _blockedWaiters > 0)
            Monitor.PulseAll(_gate);
    }

    // gate. Iterative, because finishing one record can finish a long chain of cancelled dependents.
    private void Finish(JobRecord first)
    {
        bool enqueued = false;
        _finishing.Push(first);
        while (_finishing.TryPop(out var record))
        {
            _outstanding--;
            if (record.Dependents is { } dependents)
            {
                foreach (var dependent in dependents)
                {
                    if (record.Failures is not null)
                        dependent.AddFailures(record.Failures);
                    if (--dependent.PendingPrerequisites != 0)
                        continue;
                    if (dependent.Failures is not null || dependent.BlockCount == 0)
                        _finishing.Push(dependent);
                    else
                    {
                        _ready.Enqueue(dependent);
                        _readyCount = _ready.Count;
                        enqueued = true;
                    }
                }
                dependents.Clear();
            }
            if (record.Failures is null)
                Release(record);
            else
            {
                record.MarkFailed();
                _unreportedFailures.Add(record);
            }
        }
        // Waiters may be waiting for what just finished; idle workers only care about new work.
        if (_blockedWaiters > 0 || (enqueued && _idleWorkers > 0))
            Monitor.PulseAll(_gate);
    }

    // Threads take the oldest ready work, except a thread waiting inside a job: it takes the newest,
    // which is usually the nested job it waits for, so helping does not pile unrelated jobs (that may
    // wait in turn) onto its stack.
    private bool TryTakeBlock(bool newestFirst, out JobRecord record, out int block)
    {
        if (_readyCount != 0)
        {
            lock (_gate)
            {
                if (_ready.Count != 0)
                {
                    record = newestFirst ? _ready.PeekNewest() : _ready.PeekOldest();
                    block = record.NextBlock++;
                    if (record.NextBlock == record.BlockCount)
                    {
                        if (newestFirst)
                            _ready.RemoveNewest();
                        else
                            _ready.RemoveOldest();
                        _readyCount = _ready.Count;
                    }
                    return true;
                }
            }
        }
        record = null!;
        block = 0;
        return false;
    }

    private void RunBlock(JobRecord record, int block, RunningJobStack running)
    {
        if (!record.Faulted)
        {
            running.Push(record);
            try
            {
                record.Run(block);
            }
            catch (Exception error)
            {
                record.Faulted = true;
                lock (_gate)
                    (record.Failures ??= []).Add(new JobFailure(record.JobName, error));
            }
            finally
            {
                running.Pop();
            }
        }
        if (Interlocked.Decrement(ref record.BlocksRemaining) == 0)
        {
            lock (_gate)
                Finish(record);
        }
    }

    // Waits for one handle (record not null) or for every job (record null), running ready blocks.
    private void HelpUntilDone(JobRecord? record, int generation, RunningJobStack running)
    {
        var spinner = new SpinWait();
        while (record is null ? Volatile.Read(ref _outstanding) != 0 : !record.IsDone(generation))
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (RunReadyBlockOrSpin(ref spinner, running))
                continue;
            lock (_gate)
            {
                while ((record is null ? _outstanding != 0 : !record.IsDone(generation)) && _ready.Count == 0 && !_disposed)
                {
                    _blockedWaiters++;
                    Monitor.Wait(_gate);
                    _blockedWaiters--;
                }
            }
            spinner.Reset();
        }
    }

    private void WorkerLoop()
    {
        var spinner = new SpinWait();
        var running = RunningJobStack.Current;
        while (!_disposed)
        {
            if (RunReadyBlockOrSpin(ref spinner, running))
                continue;
            lock (_gate)
            {
                while (_ready.Count == 0 && !_disposed)
                {
                    _idleWorkers++;
                    Monitor.Wait(_gate);
                    _idleWorkers--;
                }
            }
            spinner.Reset();
        }
    }

    // Runs one ready block, or spins once while spinning is still cheaper than blocking; false when the caller should block.
    // The thread's running-job stack is passed down rather than read per block: one thread-static
    // access per wait instead of several per block.
    private bool RunReadyBlockOrSpin(ref SpinWait spinner, RunningJobStack running)
    {
        if (TryTakeBlock(running.Count > 0, out var record, out int block))
        {
            RunBlock(record, block, running);
            spinner.Reset();
            return true;
        }
        if (spinner.Count < SpinRoundsBeforeBlocking)
        {
            spinner.SpinOnce(sleep1Threshold: -1);
            return true;
        }
        return false;
    }

    private static AggregateException CreateFailure(string what, List<JobFailure> failures) =>
        new($"{what}: {string.Join("; ", failures)}", failures.Select(f => f.Error));
}
