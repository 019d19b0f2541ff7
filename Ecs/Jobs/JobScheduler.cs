using System.Diagnostics;
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
/// <para>A waiting thread helps: it runs the blocks of the job it waits for, and other ready blocks,
/// until its handle is done, so a job may schedule and complete a nested job without deadlocking, and
/// a wait never depends on a background thread getting a core: only a block a thread is already running
/// is ever waited for. Other ready work is taken oldest first, but a thread waiting inside a job takes
/// the newest first (usually its own nested job), which keeps nesting shallow.</para>
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
    // How blocks are shared out. A parallel-for's blocks are claimed one at a time from a counter on its record by
    // compare-and-swap (JobRecord.TryClaim), never under the lock, and nothing is handed to a thread before it runs
    // it. So when a worker is descheduled — the game's own threads share the cores — it holds at most the one block
    // it is running, and every other block stays claimable: the waiting thread claims the blocks of the job it waits
    // for directly and can run them all itself. Per-worker ranges with stealing were the alternative; they pay off
    // for many tiny blocks, but our blocks are coarse (tens of microseconds and up), where one shared counter costs
    // nothing measurable, and a descheduled owner's range would sit unrun until a thief noticed it. The lock guards
    // only per-job bookkeeping: scheduling, finding a ready job, finishing it and its dependents.
    //
    // How idle threads wait: they spin for a short while (a block about to finish elsewhere, the next tick's jobs
    // about to be scheduled), then park. Spinning longer would take the core from a descheduled worker or a game
    // thread — when cores are busy, the thread a waiter waits for often needs exactly the core the waiter spins on.
    private static readonly long SpinBudgetTicks = Stopwatch.Frequency / 20_000;   // 50 µs

    private readonly object _gate = new();
    private readonly Thread[] _threads;
    private readonly ReadyQueue _ready = new();
    private readonly IdleThreads _idleWorkers = new();   // background threads with no ready block
    private readonly IdleThreads _idleWaiters = new();   // threads in Complete/CompleteAll with nothing to run
    private readonly Stack<JobRecord> _finishing = new();
    private readonly Stack<JobRecord> _walking = new();     // gate: records still to visit in a dependency walk
    private long _walkStamp;                                // gate: stamp of the latest dependency walk
    private readonly List<JobRecord> _unreportedFailures = [];
    private JobRecord?[] _freeLists = new JobRecord?[8];
    private volatile int _outstanding; // written under the gate: records scheduled and not yet finished
    private volatile int _readyCount;  // written under the gate: mirror of _ready.Count, read without the lock
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
        JobHandle handle;
        int readyBlocks = 0;
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            var record = (SingleJobRecord<TJob>?)PopFree(SingleJobRecord<TJob>.KindIndex) ?? new SingleJobRecord<TJob>(this);
            record.Job = job;
            handle = Submit(record, 1, [dependsOn], ref readyBlocks);
        }
        Wake(readyBlocks, finished: false);
        return handle;
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
        JobHandle handle;
        int readyBlocks = 0;
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            var record = (ParallelForJobRecord<TJob>?)PopFree(ParallelForJobRecord<TJob>.KindIndex)
                ?? new ParallelForJobRecord<TJob>(this);
            record.Job = job;
            record.Count = count;
            record.BlockSize = blockSize;
            handle = Submit(record, blockCount, [dependsOn], ref readyBlocks);
        }
        Wake(readyBlocks, finished: false);
        return handle;
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
        }
        Interlocked.MemoryBarrier();
        _idleWorkers.WakeAll();
        _idleWaiters.WakeAll();
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
        JobHandle combined;
        int readyBlocks = 0;
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
            combined = Submit(record, 0, handles, ref readyBlocks);
        }
        Wake(readyBlocks, finished: false);
        return combined;
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

    // gate. Adds to readyBlocks the blocks that became claimable.
    private JobHandle Submit(JobRecord record, int blockCount, ReadOnlySpan<JobHandle> prerequisites, ref int readyBlocks)
    {
        record.CloseClaims();
        record.BlockCount = blockCount;
        record.BlocksRemaining = blockCount;
        record.PendingPrerequisites = 0;
        _outstanding++;
        foreach (var prerequisite in prerequisites)
            Link(prerequisite, record);

        var handle = new JobHandle(record);   // taken before the record can finish and be recycled
        if (record.PendingPrerequisites == 0)
        {
            if (record.Failures is not null || record.BlockCount == 0)
                Finish(record, ref readyBlocks);
            else
                MakeReady(record, ref readyBlocks);
        }
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
    private void MakeReady(JobRecord record, ref int readyBlocks)
    {
        record.OpenClaims();
        _ready.Enqueue(record);
        record.Queued = true;
        _readyCount = _ready.Count;
        readyBlocks += record.BlockCount;
    }

    // gate
    private void Dequeue(JobRecord record)
    {
        if (!record.Queued)
            return;
        _ready.Remove(record);
        record.Queued = false;
        _readyCount = _ready.Count;
    }

    // gate. Iterative, because finishing one record can finish a long chain of cancelled dependents.
    private void Finish(JobRecord first, ref int readyBlocks)
    {
        _finishing.Push(first);
        while (_finishing.TryPop(out var record))
        {
            _outstanding--;
            Dequeue(record);   // every block is claimed, but no thread has looked at the queue since
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
                        MakeReady(dependent, ref readyBlocks);
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
    }

    // Called after leaving the gate: wakes parked workers for blocks that became claimable, and the parked waiters
    // (they help run blocks too, or check whether the job that finished is theirs). The fence pairs with the one a
    // parking thread makes between counting itself and re-checking.
    private void Wake(int readyBlocks, bool finished)
    {
        if (readyBlocks == 0 && !finished)
            return;
        Interlocked.MemoryBarrier();
        if (readyBlocks > 0 && _idleWorkers.Any)
            _idleWorkers.Wake(readyBlocks);
        if (_idleWaiters.Any)
            _idleWaiters.WakeAll();
    }

    // Finds a ready record with an unclaimed block (taking exhausted ones off the queue on the way). The lock is
    // taken once per record a thread starts on, not per block: the thread then claims that record's blocks itself.
    private bool TryFindReady(bool newestFirst, out JobRecord record, out int generation)
    {
        if (_readyCount != 0)
        {
            lock (_gate)
            {
                while (_ready.Count != 0)
                {
                    record = newestFirst ? _ready.PeekNewest() : _ready.PeekOldest();
                    if (record.HasUnclaimedBlocks)
                    {
                        generation = record.Generation;
                        return true;
                    }
                    if (newestFirst)
                        _ready.RemoveNewest();
                    else
                        _ready.RemoveOldest();
                    record.Queued = false;
                }
                _readyCount = 0;
            }
        }
        record = null!;
        generation = 0;
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
            int readyBlocks = 0;
            lock (_gate)
                Finish(record, ref readyBlocks);
            Wake(readyBlocks, finished: true);
        }
    }

    private bool IsDone(JobRecord? record, int generation) => record is null ? _outstanding == 0 : record.IsDone(generation);

    // Waits for one handle (record not null) or for every job (record null). Runs the awaited job's own blocks
    // first, then other ready blocks; parks only when nothing is claimable, so what it waits for is then running.
    private void HelpUntilDone(JobRecord? record, int generation, RunningJobStack running)
    {
        var backoff = new Backoff();
        JobRecord? helping = null;
        int helpingGeneration = 0;
        bool newestFirst = running.Count > 0;
        while (!IsDone(record, generation))
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            int block;
            if (record is not null && record.TryClaim(generation, out block))
                RunBlock(record, block, running);
            else if (helping is not null && helping.TryClaim(helpingGeneration, out block))
                RunBlock(helping, block, running);
            else if (TryFindReady(newestFirst, out helping, out helpingGeneration))
                continue;
            else
            {
                helping = null;
                if (!backoff.SpinOnce())
                {
                    _idleWaiters.Park(new WaiterIdle(this, record, generation));
                    backoff = new Backoff();
                }
                continue;
            }
            backoff = new Backoff();
        }
    }

    private readonly struct WaiterIdle(JobScheduler scheduler, JobRecord? record, int generation) : IParkCondition
    {
        public bool MustWait() => !scheduler.IsDone(record, generation) && scheduler._readyCount == 0 && !scheduler._disposed;
    }

    private readonly struct WorkerIdle(JobScheduler scheduler) : IParkCondition
    {
        public bool MustWait() => scheduler._readyCount == 0 && !scheduler._disposed;
    }

    private void WorkerLoop()
    {
        var running = RunningJobStack.Current;
        var backoff = new Backoff();
        JobRecord? current = null;
        int generation = 0;
        while (!_disposed)
        {
            if (current is not null && current.TryClaim(generation, out int block))
            {
                RunBlock(current, block, running);
                backoff = new Backoff();
            }
            else if (TryFindReady(newestFirst: false, out current, out generation))
                continue;
            else
            {
                current = null;
                if (backoff.SpinOnce())
                    continue;
                _idleWorkers.Park(new WorkerIdle(this));
                backoff = new Backoff();
            }
        }
    }

    /// <summary>Spinning before parking, for at most <see cref="SpinBudgetTicks"/>; yields the core between probes.</summary>
    private struct Backoff
    {
        private SpinWait _spinner;
        private long _start;

        /// <summary>Spins once; false when the budget is spent and the caller should park.</summary>
        public bool SpinOnce()
        {
            if (_spinner.Count == 0)
                _start = Stopwatch.GetTimestamp();
            else if (Stopwatch.GetTimestamp() - _start > SpinBudgetTicks)
                return false;
            _spinner.SpinOnce(sleep1Threshold: -1);
            return true;
        }
    }

    private static AggregateException CreateFailure(string what, List<JobFailure> failures) =>
        new($"{what}: {string.Join("; ", failures)}", failures.Select(f => f.Error));
}
