namespace EcsNeural.Ecs.Jobs;

/// <summary>
/// Names a scheduled job (or a combination of jobs) so later jobs can depend on it and callers can
/// wait for it with <see cref="JobScheduler.Complete"/>. <c>default</c> is <see cref="Completed"/>.
/// A handle stays valid forever: once its job has finished (and, for a failed job, once its
/// failure has been reported) the record behind it is recycled and the handle reads as completed.
/// </summary>
public readonly struct JobHandle : IEquatable<JobHandle>
{
    internal JobHandle(JobRecord record)
    {
        Record = record;
        Generation = record.Generation;
    }

    /// <summary>A handle that is already complete; the same as <c>default</c>.</summary>
    public static JobHandle Completed => default;

    internal JobRecord? Record { get; }

    internal int Generation { get; }

    /// <summary>
    /// True once the job needs no more waiting: it ran, or it failed (call
    /// <see cref="JobScheduler.Complete"/> to observe the failure).
    /// </summary>
    public bool IsCompleted => Record is null || Record.IsDone(Generation);

    /// <summary>A handle that completes when both <paramref name="a"/> and <paramref name="b"/> have.</summary>
    /// <exception cref="ArgumentException">The handles belong to different schedulers.</exception>
    public static JobHandle Combine(JobHandle a, JobHandle b)
    {
        if (a.Record is null)
            return b;
        if (b.Record is null)
            return a;
        return Combine([a, b]);
    }

    /// <summary>A handle that completes when every handle in <paramref name="handles"/> has.</summary>
    /// <exception cref="ArgumentException">The handles belong to different schedulers.</exception>
    public static JobHandle Combine(ReadOnlySpan<JobHandle> handles)
    {
        foreach (var handle in handles)
        {
            if (handle.Record is not null)
                return handle.Record.Scheduler.CombineHandles(handles);
        }
        return Completed;
    }

    /// <inheritdoc/>
    public bool Equals(JobHandle other) => ReferenceEquals(Record, other.Record) && Generation == other.Generation;

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is JobHandle other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Record, Generation);

    /// <summary>Compares two handles by the job they name.</summary>
    public static bool operator ==(JobHandle left, JobHandle right) => left.Equals(right);

    /// <summary>Compares two handles by the job they name.</summary>
    public static bool operator !=(JobHandle left, JobHandle right) => !left.Equals(right);

    /// <inheritdoc/>
    public override string ToString() =>
        Record is null ? "JobHandle(completed)" : $"JobHandle({Record.JobName}#{Generation}, completed: {IsCompleted})";
}
