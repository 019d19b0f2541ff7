namespace EcsNeural.Systems.Ops;

/// <summary>Where one instance of a tensor starts: an array (the arena or a block's gradient scratch) and an offset in it.</summary>
internal readonly record struct TensorAddress<T>(T[] Data, int Offset)
{
    /// <summary>The <paramref name="length"/> elements from <see cref="Offset"/>.</summary>
    public Span<T> Span(int length) => Data.AsSpan(Offset, length);

    /// <summary>The same elements as an array segment, for per-element structs passed as type arguments (they cannot hold spans on .NET 8).</summary>
    public ArraySegment<T> Segment(int length) => new(Data, Offset, length);
}
