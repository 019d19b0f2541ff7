namespace EcsNeural.Systems.Graph;

/// <summary>
/// A point in a graph's history of added nodes, from <see cref="ComputeGraph.Mark"/>: <see cref="ComputeGraph.NodesAddedSince"/>
/// lists the nodes created after it, e.g. the gradient nodes a symbolic build added, so they can be removed again.
/// </summary>
public readonly struct GraphMark
{
    internal GraphMark(int graphId, int firstIndex)
    {
        GraphId = graphId;
        FirstIndex = firstIndex;
    }

    /// <summary>The graph the mark belongs to.</summary>
    public int GraphId { get; }

    /// <summary>The creation index the next node added after the mark receives (<see cref="Components.GraphMember.Index"/>).</summary>
    public int FirstIndex { get; }
}
