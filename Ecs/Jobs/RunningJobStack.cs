namespace EcsNeural.Ecs.Jobs;

/// <summary>
/// The records whose blocks are running on the current thread, outermost first: a thread that
/// helps inside <see cref="JobScheduler.Complete"/> runs other jobs nested on top of the one that
/// waits. <see cref="JobScheduler.Complete"/> reads it to refuse a wait that could never end.
/// </summary>
/// <remarks>One per thread, shared by every scheduler; grows once to the deepest nesting seen.</remarks>
internal sealed class RunningJobStack
{
    [ThreadStatic] private static RunningJobStack? _current;

    // Slots are structs so storing a record skips the covariant array-store check.
    private Slot[] _slots = new Slot[4];

    /// <summary>This thread's stack, created on first use.</summary>
    public static RunningJobStack Current => _current ??= new RunningJobStack();

    /// <summary>True when the calling code runs inside a job's Execute.</summary>
    public static bool IsInsideJob => _current is { Count: > 0 };

    public int Count { get; private set; }

    /// <summary>The running record at <paramref name="depth"/>; 0 is the outermost, <c>Count - 1</c> the innermost.</summary>
    public JobRecord this[int depth] => _slots[depth].Record!;

    public void Push(JobRecord record)
    {
        if (Count == _slots.Length)
            Array.Resize(ref _slots, Count * 2);
        _slots[Count++].Record = record;
    }

    /// <summary>Removes the innermost record, and forgets it so the stack keeps no recycled job alive.</summary>
    public void Pop() => _slots[--Count].Record = null;

    private struct Slot
    {
        public JobRecord? Record;
    }
}
