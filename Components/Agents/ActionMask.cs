using EcsNeural.Ecs.Buffers;

namespace EcsNeural.Components.Agents;

/// <summary>
/// Which discrete actions an agent may take this tick, for a policy with discrete actions: <c>Allowed[k]</c> is 1 when
/// action k is allowed and 0 when it is not. Its length is the number of actions and at least one must be allowed; a
/// masked action has probability 0 when the agent acts and when the policy learns from that step.
/// </summary>
public struct ActionMask : IBufferOwner
{
    /// <summary>1 (allowed) or 0 (masked) per action.</summary>
    public ValueBuffer<float> Allowed;

    /// <summary>A mask with the given flags.</summary>
    public ActionMask(ReadOnlySpan<float> allowed) => Allowed.Set(allowed);

    void IBufferOwner.VisitBuffers<TVisitor>(ref TVisitor visitor) => visitor.Visit(ref Allowed);
}
