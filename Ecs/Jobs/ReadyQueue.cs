namespace EcsNeural.Ecs.Jobs;

/// <summary>
/// Ring buffer of records whose prerequisites are done and that may still have unclaimed blocks: found oldest first,
/// or newest first by a thread waiting inside a job (see <see cref="JobScheduler"/>). Threads only find a record
/// here; they claim its blocks on the record itself, without the scheduler's lock. Grows by doubling, so it stops
/// allocating once it has seen the largest backlog. Not thread-safe: the scheduler guards it.
/// </summary>
internal sealed class ReadyQueue
{
    private JobRecord[] _items = new JobRecord[16];
    private int _head;

    public int Count { get; private set; }

    public JobRecord PeekOldest() => _items[_head];

    public JobRecord PeekNewest() => _items[(_head + Count - 1) % _items.Length];

    public void Enqueue(JobRecord record)
    {
        if (Count == _items.Length)
        {
            var grown = new JobRecord[_items.Length * 2];
            for (int i = 0; i < Count; i++)
                grown[i] = _items[(_head + i) % _items.Length];
            _items = grown;
            _head = 0;
        }
        _items[(_head + Count) % _items.Length] = record;
        Count++;
    }

    public void RemoveOldest()
    {
        _items[_head] = null!;
        _head = (_head + 1) % _items.Length;
        Count--;
    }

    /// <summary>Removes <paramref name="record"/> wherever it is (a finished job nobody took off the queue yet).</summary>
    public void Remove(JobRecord record)
    {
        for (int i = 0; i < Count; i++)
        {
            if (_items[(_head + i) % _items.Length] != record)
                continue;
            for (int j = i; j + 1 < Count; j++)
                _items[(_head + j) % _items.Length] = _items[(_head + j + 1) % _items.Length];
            _items[(_head + Count - 1) % _items.Length] = null!;
            Count--;
            return;
        }
    }

    public void RemoveNewest()
    {
        _items[(_head + Count - 1) % _items.Length] = null!;
        Count--;
    }
}
