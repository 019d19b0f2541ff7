using EcsNeural.Components;
using EcsNeural.Ecs;

namespace EcsNeural.Systems.Graph;

/// <summary>
/// A NaN or ±∞ appeared in a node's value (forward) or gradient (backward). Names the node that produced it, its
/// operation and the instance. The world stays usable: fix the cause (an input, the learning rate) and step again.
/// </summary>
public sealed class NonFiniteValueException : Exception
{
    /// <summary>Creates the exception.</summary>
    public NonFiniteValueException(Entity node, OpCode op, int instance, bool inGradient)
        : base($"Node {node} ({op}) produced a NaN or infinity in its {(inGradient ? "gradient" : "value")} for instance {instance}.")
    {
        Node = node;
        Op = op;
        Instance = instance;
        InGradient = inGradient;
    }

    /// <summary>The node whose value or gradient is not finite.</summary>
    public Entity Node { get; }

    /// <summary>That node's operation.</summary>
    public OpCode Op { get; }

    /// <summary>The instance (0-based) where it was found first.</summary>
    public int Instance { get; }

    /// <summary>True for the gradient, false for the value.</summary>
    public bool InGradient { get; }
}
