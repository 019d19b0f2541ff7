using EcsNeural.Ecs.Buffers;

namespace EcsNeural.Components.Agents;

/// <summary>
/// What an agent senses this tick, written by host systems and copied by the gather system into its population's
/// observation input (one row per agent). Its length must equal that input's width, any width; a mismatch is an error
/// naming the agent and both sizes.
/// </summary>
public struct Observation : IBufferOwner
{
    /// <summary>The observed values (inline up to <see cref="ValueBuffer{T}.InlineCapacity"/>, pooled beyond).</summary>
    public ValueBuffer<float> Values;

    /// <summary>An observation holding <paramref name="values"/>.</summary>
    public Observation(ReadOnlySpan<float> values) => Values.Set(values);

    void IBufferOwner.VisitBuffers<TVisitor>(ref TVisitor visitor) => visitor.Visit(ref Values);
}
