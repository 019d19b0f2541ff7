namespace EcsNeural.Systems.Graph;

/// <summary>
/// The per-thread buffers that hold one instance block's gradients when a graph keeps them block-local
/// (<see cref="GradientMode.BlockLocal"/>). A buffer is reused block after block, so those gradients stay in the core's
/// cache and never travel to memory. Buffers form a stack per thread: a thread waiting inside a block job helps with other
/// ready jobs, which may be another graph's block job needing its own buffer while the first is still in use.
/// </summary>
internal static class BlockGradientScratch<T> where T : unmanaged
{
    [ThreadStatic] private static T[][]? t_buffers;
    [ThreadStatic] private static int t_depth;

    /// <summary>A buffer of at least <paramref name="length"/> elements (contents undefined), held until <see cref="Return"/>.</summary>
    public static T[] Rent(int length)
    {
        t_buffers ??= new T[4][];
        if (t_depth == t_buffers.Length)
            Array.Resize(ref t_buffers, 2 * t_depth);
        ref T[] buffer = ref t_buffers[t_depth];
        if (buffer is null || buffer.Length < length)
            buffer = new T[length];   // grows to the largest block seen, then allocation-free
        t_depth++;
        return buffer;
    }

    /// <summary>Gives back the buffer this thread rented last.</summary>
    public static void Return() => t_depth--;
}
