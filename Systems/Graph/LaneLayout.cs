using System.Numerics;
using System.Runtime.Intrinsics;
using EcsNeural.Systems.Kernels;

namespace EcsNeural.Systems.Graph;

/// <summary>
/// Where element e of instance i of an arena region sits. One lane: instance-major, <c>offset + i·length + e</c>. More
/// lanes (<see cref="InstanceLayout.Interleaved"/>): instances in groups of <see cref="Lanes"/>, <c>[group][element][lane]</c>,
/// so instances [start, end) are still one contiguous run when start and end are whole groups.
/// </summary>
internal readonly record struct LaneLayout(int Lanes)
{
    public static LaneLayout InstanceMajor => new(1);

    /// <summary>
    /// The interleaved layout a graph's settings allow, and whether it is required (<see cref="InstanceLayout.Interleaved"/>);
    /// instance-major when the settings rule it out (a required layout they rule out is an <see cref="InvalidOperationException"/>
    /// naming graph <paramref name="graphId"/>). The compiler then checks the nodes.
    /// </summary>
    public static (LaneLayout Lanes, bool Required) Allowed(InstanceLayout requested, int elementBytes, NumericsMode numerics, int capacity, int graphId)
    {
        if (requested == InstanceLayout.Contiguous)
            return (InstanceMajor, false);
        bool required = requested == InstanceLayout.Interleaved;
        // One group is one vector: 512 bits where the CPU has them, else 256.
        bool wide = Vector512.IsHardwareAccelerated;
        int lanes = (wide ? 64 : 32) / elementBytes;
        string? obstacle = !wide && !Vector256.IsHardwareAccelerated ? "this CPU has no accelerated 256- or 512-bit vectors"
            : numerics == NumericsMode.Portable ? "portable numerics keep the contiguous layout"
            : !required && capacity < lanes ? $"its capacity ({capacity}) is less than one group of {lanes} instances"
            : null;
        if (obstacle is null)
            return (new LaneLayout(lanes), required);
        if (required)
            throw new InvalidOperationException($"Graph {graphId} cannot interleave its instances (Layout = InstanceLayout.Interleaved): {obstacle}. "
                + "Use InstanceLayout.Automatic to let the engine fall back to the contiguous layout.");
        return (InstanceMajor, false);
    }

    public bool IsInterleaved => Lanes > 1;

    /// <summary><paramref name="instances"/> rounded up to whole groups: what a region and a pass over all instances cover.</summary>
    public int Groups(int instances) => (instances + Lanes - 1) / Lanes * Lanes;

    public int Index(int offset, int length, int instance, int element)
        => Lanes == 1 ? offset + instance * length + element : offset + (instance - instance % Lanes) * length + element * Lanes + instance % Lanes;

    /// <summary>Copies one instance's elements out of a region.</summary>
    public void Read<T>(T[] data, int offset, int length, int instance, Span<T> destination)
    {
        if (Lanes == 1)
        {
            data.AsSpan(offset + instance * length, length).CopyTo(destination);
            return;
        }
        int at = Index(offset, length, instance, 0);
        for (int e = 0; e < length; e++, at += Lanes)
            destination[e] = data[at];
    }

    /// <summary>Copies one instance's elements into a region.</summary>
    public void Write<T>(T[] data, int offset, int length, int instance, ReadOnlySpan<T> source)
    {
        if (Lanes == 1)
        {
            source.CopyTo(data.AsSpan(offset + instance * length, length));
            return;
        }
        int at = Index(offset, length, instance, 0);
        for (int e = 0; e < length; e++, at += Lanes)
            data[at] = source[e];
    }

    /// <summary>Copies instance <paramref name="from"/>'s elements over instance <paramref name="to"/>'s.</summary>
    public void Copy<T>(T[] data, int offset, int length, int from, int to)
    {
        if (Lanes == 1)
        {
            data.AsSpan(offset + from * length, length).CopyTo(data.AsSpan(offset + to * length, length));
            return;
        }
        for (int e = 0, a = Index(offset, length, from, 0), b = Index(offset, length, to, 0); e < length; e++, a += Lanes, b += Lanes)
            data[b] = data[a];
    }

    /// <summary>Zeroes one instance's elements.</summary>
    public void Clear<T>(T[] data, int offset, int length, int instance)
    {
        if (Lanes == 1)
        {
            data.AsSpan(offset + instance * length, length).Clear();
            return;
        }
        for (int e = 0, at = Index(offset, length, instance, 0); e < length; e++, at += Lanes)
            data[at] = default!;
    }

    /// <summary>max |x| over one instance's elements; NaN when one is a NaN, +∞ when one is infinite (as <see cref="Kernels.MagnitudeScan"/>).</summary>
    public T Magnitude<T>(T[] data, int offset, int length, int instance) where T : unmanaged, IFloatingPointIeee754<T>
    {
        T max = T.Zero;
        for (int e = 0; e < length; e++)
        {
            T v = data[Index(offset, length, instance, e)];
            if (T.IsNaN(v))
                return v;
            max = T.Max(max, T.Abs(v));
        }
        return max;
    }

    /// <summary>
    /// Reorders the first <paramref name="instances"/> instances (rounded up to whole groups) of a region from instance-major
    /// to this layout, or back when <paramref name="toInterleaved"/> is false, through <paramref name="scratch"/> (one group).
    /// Interleaving zeroes the lanes past <paramref name="instances"/>, so a partial group computes on zeros.
    /// </summary>
    public void Reorder<T>(Span<T> region, int length, int instances, bool toInterleaved, Span<T> scratch) where T : unmanaged
    {
        int group = Lanes * length;
        for (int g = 0; g * Lanes < instances; g++)
        {
            Span<T> block = region.Slice(g * group, group);
            block.CopyTo(scratch);
            int live = Math.Min(Lanes, instances - g * Lanes);
            if (toInterleaved)
            {
                if (live < Lanes)
                    block.Clear();
                for (int lane = 0; lane < live; lane++)
                    for (int e = 0; e < length; e++)
                        block[e * Lanes + lane] = scratch[lane * length + e];
            }
            else
                for (int lane = 0; lane < Lanes; lane++)
                    for (int e = 0; e < length; e++)
                        block[lane * length + e] = scratch[e * Lanes + lane];
        }
    }
}
