namespace EcsNeural.Ecs.Jobs;

/// <summary>
/// FIFO ring buffer of records whose prerequisites are done. Grows by doubling, so it stops
/// allocating once it has seen the largest backlog. Not thread-safe: the scheduler guards it.
/// </summary>
internal sealed class ReadyQueue
{
    private JobRecord[] _items = new JobRecord[16];
    private int _head;

    public int Count { get; private set; }

    public JobRecord Peek() => _items[_head];

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

    public void Dequeue()
    {
        _items[_head] = null!;
        _head = (_head + 1) % _items.Length;
        Count--;
    }
}
