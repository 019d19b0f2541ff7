using EcsNeural.Ecs.Buffers;

namespace EcsNeural.Components.Agents;

/// <summary>
/// What the agent's network should have output this tick (supervised training), written by host systems and copied
/// by the gather system into its population's target input. Its length must equal that input's width.
/// </summary>
public struct Target : IBufferOwner
{
    /// <summary>The target values (inline up to <see cref="ValueBuffer{T}.InlineCapacity"/>, pooled beyond).</summary>
    public ValueBuffer<float> Values;

    /// <summary>A target holding <paramref name="values"/>.</summary>
    public Target(ReadOnlySpan<float> values) => Values.Set(values);

    void IBufferOwner.VisitBuffers<TVisitor>(ref TVisitor visitor) => visitor.Visit(ref Values);
}
