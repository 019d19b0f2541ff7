namespace EcsNeural.Ecs.Jobs;

/// <summary>
/// The records whose blocks are running on the current thread, outermost first: a thread that
/// helps inside <see cref="JobScheduler.Complete"/> runs other jobs nested on top of the one that
/// waits. <see cref="JobScheduler.Complete"/> reads it to refuse a wait that could never end.
/// </summary>
/// <remarks>One per thread, shared by every scheduler; grows once to the deepest nesting seen.</remarks>
internal sealed class RunningJobStack
{
    [ThreadStatic] private static RunningJobStack? t_current;

    private JobRecord?[] _records = new JobRecord?[4];

    /// <summary>This thread's stack, created on first use.</summary>
    public static RunningJobStack Current => t_current ??= new RunningJobStack();

    /// <summary>True when the calling code runs inside a job's Execute.</summary>
    public static bool IsInsideJob => t_current is { Count: > 0 };

    public int Count { get; private set; }

    /// <summary>The running record at <paramref name="depth"/>; 0 is the outermost, <c>Count - 1</c> the innermost.</summary>
    public JobRecord this[int depth] => _records[depth]!;

    public void Push(JobRecord record)
    {
        if (Count == _records.Length)
            Array.Resize(ref _records, Count * 2);
        _records[Count++] = record;
    }

    /// <summary>Removes the innermost record, and forgets it so the stack keeps no recycled job alive.</summary>
    public void Pop() => _records[--Count] = null;
}
