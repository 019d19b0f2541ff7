using EcsNeural.Components;
using EcsNeural.Ecs;

namespace EcsNeural.Systems.Graph;

/// <summary>
/// A graph cannot be compiled or built as asked: mismatched shapes, a cycle, a missing or foreign input, a loss that is
/// not a scalar. Names the offending node and its operation. The world and the graph stay usable: fix the node and compile again.
/// </summary>
public sealed class GraphValidationException : Exception
{
    /// <summary>Creates the exception for <paramref name="node"/>.</summary>
    public GraphValidationException(Entity node, OpCode op, string detail)
        : base($"Node {node} ({op}): {detail}.")
    {
        Node = node;
        Op = op;
    }

    /// <summary>The node at fault (a node on the cycle, for a cycle).</summary>
    public Entity Node { get; }

    /// <summary>That node's operation.</summary>
    public OpCode Op { get; }
}
