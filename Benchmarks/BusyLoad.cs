namespace EcsNeural.Benchmarks;

/// <summary>
/// Contention for the benchmark: <c>K</c> threads of this process that keep cores busy with arithmetic while
/// <see cref="Spinning"/> is on, at normal priority, as a game's render, audio or simulation threads would. They
/// allocate nothing, so bytes-per-step counts stay the workload's own; a PyTorch peer running meanwhile runs under the
/// same load. Off, they sleep on an event and cost nothing.
/// </summary>
public sealed class BusyLoad : IDisposable
{
    private readonly Thread[] _threads;
    private readonly ManualResetEventSlim _spin = new(false);
    private volatile bool _stop;

    /// <summary>Starts <paramref name="threads"/> threads, not spinning yet.</summary>
    public BusyLoad(int threads)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(threads);
        _threads = new Thread[threads];
        for (int i = 0; i < threads; i++)
        {
            _threads[i] = new Thread(Run) { IsBackground = true, Name = $"busy load {i + 1}" };
            _threads[i].Start((ulong)i + 1);
        }
    }

    /// <summary>Number of threads.</summary>
    public int Threads => _threads.Length;

    /// <summary>Whether the threads spin now.</summary>
    public bool Spinning
    {
        get => _spin.IsSet;
        set
        {
            if (value)
                _spin.Set();
            else
                _spin.Reset();
        }
    }

    /// <summary>Stops the threads and waits for them.</summary>
    public void Dispose()
    {
        _stop = true;
        _spin.Set();
        foreach (Thread thread in _threads)
            thread.Join();
        _spin.Dispose();
    }

    private void Run(object? seed)
    {
        ulong x = (ulong)seed!;
        while (!_stop)
        {
            _spin.Wait();
            for (int i = 0; i < 4096; i++)   // xorshift: a dependent chain of integer work, no memory traffic
            {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
            }
        }
        GC.KeepAlive(x);
    }
}
