namespace EcsNeural.Components;

/// <summary>Which graph a node belongs to, and its creation index there (the tie-break that keeps topological order deterministic).</summary>
/// <param name="GraphId">The graph's id in its runtime.</param>
/// <param name="Index">Creation index of the node within its graph, unique and increasing.</param>
public readonly record struct GraphMember(int GraphId, int Index);
