namespace EcsNeural.Systems.Ops;

/// <summary>
/// Scratch that a one-block graph's row jobs share (a deep product's chunk partials), owned by the graph's executor: it
/// is sized once, whichever thread runs the block. A per-thread buffer was allocated again by each thread that happened
/// to run the block for the first time, long after warm-up (276 KB in one timed PPO tick).
/// </summary>
internal sealed class RowScratch<T> where T : unmanaged
{
    private T[] _buffer = [];

    /// <summary>At least <paramref name="length"/> elements (contents undefined), grown, never shrunk.</summary>
    public T[] Rent(int length) => _buffer.Length >= length ? _buffer : _buffer = new T[length];
}
