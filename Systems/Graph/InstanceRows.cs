using System.Numerics;

namespace EcsNeural.Systems.Graph;

/// <summary>
/// One node's per-instance rows in the arena, in the order the compiled program keeps instances (contiguous or
/// interleaved), for the population systems that copy agents' components in and out every tick.
/// </summary>
internal readonly struct InstanceRows<T>(T[] data, int offset, int width, LaneLayout lanes) where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Elements per instance.</summary>
    public int Width => width;

    /// <summary>Copies <paramref name="values"/> (<see cref="Width"/> elements) into instance <paramref name="instance"/>'s row.</summary>
    public void Write(int instance, ReadOnlySpan<T> values) => lanes.Write(data, offset, width, instance, values);

    /// <summary>
    /// Instance <paramref name="instance"/>'s row: the arena's own span when instances are contiguous, else a copy into
    /// <paramref name="scratch"/> (at least <see cref="Width"/> elements).
    /// </summary>
    public ReadOnlySpan<T> Read(int instance, Span<T> scratch)
    {
        if (!lanes.IsInterleaved)
            return data.AsSpan(offset + instance * width, width);
        lanes.Read(data, offset, width, instance, scratch);
        return scratch[..width];
    }
}
