using EcsNeural.Ecs.Buffers;

namespace EcsNeural.Components.Agents;

/// <summary>
/// The agent's network output of this tick ("action"), written by the scatter system from one row of its population's
/// output node and read by host systems. Its length is the output's width. (Named <c>AgentAction</c> so that it never
/// clashes with <see cref="System.Action"/> in files that import both namespaces.)
/// </summary>
public struct AgentAction : IBufferOwner
{
    /// <summary>The output values (inline up to <see cref="ValueBuffer{T}.InlineCapacity"/>, pooled beyond).</summary>
    public ValueBuffer<float> Values;

    void IBufferOwner.VisitBuffers<TVisitor>(ref TVisitor visitor) => visitor.Visit(ref Values);
}
