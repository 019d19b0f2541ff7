using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;

namespace EcsNeural.Components.Agents;

/// <summary>
/// A short vector of floats stored inline in an agent component (no heap, no pointer): up to <see cref="Capacity"/>
/// values and the number in use. <see cref="Observation"/>, <see cref="Target"/> and <see cref="AgentAction"/> each hold one.
/// </summary>
public struct AgentValues
{
    /// <summary>Most values one component holds (256 bytes of floats).</summary>
    public const int Capacity = 64;

    private Buffer _values;

    /// <summary>Values in use, 0…<see cref="Capacity"/>.</summary>
    public int Length { get; private set; }

    /// <summary>Replaces the values. A span longer than <see cref="Capacity"/> is an error, never truncated.</summary>
    /// <exception cref="ArgumentException">More than <see cref="Capacity"/> values.</exception>
    public void Set(ReadOnlySpan<float> values)
    {
        if (values.Length > Capacity)
            throw new ArgumentException($"An agent component holds at most {Capacity} values, got {values.Length}.", nameof(values));
        values.CopyTo(_values);
        Length = values.Length;
    }

    /// <summary>The values in use; writes go straight into the component.</summary>
    [UnscopedRef]
    public Span<float> AsSpan() => ((Span<float>)_values)[..Length];

    /// <summary>The values in use, read-only.</summary>
    [UnscopedRef]
    public readonly ReadOnlySpan<float> AsReadOnlySpan() => ((ReadOnlySpan<float>)_values)[..Length];

    [InlineArray(Capacity)]
    private struct Buffer
    {
        private float _element0;
    }
}
