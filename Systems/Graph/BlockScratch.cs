namespace EcsNeural.Systems.Graph;

/// <summary>
/// Per-thread buffers for one instance block's job: its gradients when a graph keeps them block-local
/// (<see cref="GradientMode.BlockLocal"/>), and the copy of its parameters and optimizer state an update can be undone
/// from. A buffer is reused block after block, so it stays in the core's cache and never travels to memory. Buffers form
/// a stack per thread: a thread waiting inside a block job helps with other ready jobs, which may be another graph's block
/// job needing its own buffers while the first's are still in use.
/// </summary>
internal static class BlockScratch<T> where T : unmanaged
{
    [ThreadStatic] private static T[][]? _buffers;
    [ThreadStatic] private static int _depth;

    /// <summary>A buffer of at least <paramref name="length"/> elements (contents undefined), held until <see cref="Return"/>.</summary>
    public static T[] Rent(int length)
    {
        _buffers ??= new T[4][];
        if (_depth == _buffers.Length)
            Array.Resize(ref _buffers, 2 * _depth);
        ref T[] buffer = ref _buffers[_depth];
        if (buffer is null || buffer.Length < length)
            buffer = new T[length];   // grows to the largest block seen, then allocation-free
        _depth++;
        return buffer;
    }

    /// <summary>Gives back the buffer this thread rented last.</summary>
    public static void Return() => _depth--;
}
