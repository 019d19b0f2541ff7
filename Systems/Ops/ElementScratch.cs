namespace EcsNeural.Systems.Ops;

/// <summary>
/// A per-thread buffer for backward passes that need an element-wise function of a whole operand first (cos x for sin,
/// sin x for cos, σ(x) for softplus and sigmoid cross-entropy, eˣ for the softmax family). They compute it with the
/// <see cref="Kernels.ElementMath"/> function the graph's own node for it uses, whose result depends on the value only,
/// so numeric and symbolic gradients round alike.
/// Grows to the largest span seen, then allocates nothing. No backward pass waits while holding it, so one per thread is enough.
/// </summary>
internal static class ElementScratch<T> where T : unmanaged
{
    [ThreadStatic] private static T[]? _buffer;

    /// <summary>A span of <paramref name="length"/> elements (contents undefined), valid until this thread rents again.</summary>
    public static Span<T> Rent(int length)
    {
        if (_buffer is null || _buffer.Length < length)
            _buffer = new T[length];
        return _buffer.AsSpan(0, length);
    }
}
