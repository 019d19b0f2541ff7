namespace EcsNeural.Systems.Ops;

/// <summary>Where one instance of a tensor starts: an array (the arena or a block's gradient scratch) and an offset in it.</summary>
internal readonly record struct TensorAddress<T>(T[] Data, int Offset)
{
    /// <summary>The <paramref name="length"/> elements from <see cref="Offset"/>.</summary>
    public Span<T> Span(int length) => Data.AsSpan(Offset, length);
}
