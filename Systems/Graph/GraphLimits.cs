using EcsNeural.Components;
using EcsNeural.Ecs;

namespace EcsNeural.Systems.Graph;

/// <summary>
/// The sizes the engine supports. A graph's tensors live in one array (its arena), addressed with 32-bit offsets, so
/// everything a graph holds — every node's value, gradient slot and optimizer state for every instance it has room for
/// (<see cref="ComputeGraph.InstanceCapacity"/>), and one block's gradient scratch — is at most
/// <see cref="MaxArenaElements"/> elements (8 GiB of float, 16 GiB of double). Sizes are computed in checked 64-bit
/// arithmetic; a node or graph beyond the limit is a <see cref="GraphValidationException"/> naming the node, its shape
/// and the limit, thrown before anything is allocated.
/// </summary>
public static class GraphLimits
{
    /// <summary>The most elements in one graph's arena (and so in one node's instances): .NET's largest array, 2,147,483,591.</summary>
    public static int MaxArenaElements => Array.MaxLength;

    /// <summary>Throws, naming the node, when one instance of <paramref name="shape"/> alone exceeds the arena limit.</summary>
    internal static void RequireNodeFits(Entity node, OpCode op, NodeShape shape)
    {
        if (shape.LongLength > MaxArenaElements)
            throw new GraphValidationException(node, op, $"shape {shape} holds {shape.LongLength:N0} elements per instance, more than the "
                + $"{MaxArenaElements:N0} a graph's arena holds (GraphLimits.MaxArenaElements)");
    }

    /// <summary>Throws, naming the node whose region crosses it, when a layout reaches past the arena limit.</summary>
    internal static void RequireArenaFits(Entity node, OpCode op, NodeShape shape, long elements, int instances, string what)
    {
        if (elements > MaxArenaElements)
            throw new GraphValidationException(node, op, $"{what} reaches {elements:N0} elements with this node's {shape} × {instances:N0} instances, "
                + $"more than the {MaxArenaElements:N0} a graph's arena holds (GraphLimits.MaxArenaElements); use fewer instances or smaller layers");
    }
}
