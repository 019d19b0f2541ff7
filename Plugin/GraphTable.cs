using EcsNeural.Components;
using EcsNeural.Ecs;
using EcsNeural.Systems.Graph;

namespace EcsNeural.Plugin;

/// <summary>A graph's nodes in creation order (topological for graphs made by the builders) with their records, as checkpoints and ONNX export walk them.</summary>
internal sealed class GraphTable
{
    private GraphTable(Entity[] nodes, NodeRecord[] records, int loss)
    {
        Nodes = nodes;
        Records = records;
        Loss = loss;
    }

    public Entity[] Nodes { get; }
    public NodeRecord[] Records { get; }
    /// <summary>Index of the graph's loss node, or −1.</summary>
    public int Loss { get; }

    /// <summary>
    /// Reads the table of <paramref name="graph"/>, compiling it first so every shape is inferred, or verifying that no node
    /// was destroyed or changed behind its back (<see cref="GraphValidationException"/>).
    /// </summary>
    public static GraphTable Of(ComputeGraph graph)
    {
        graph.Verify();
        World world = graph.World;
        Entity[] nodes = graph.Nodes();
        var position = new Dictionary<Entity, int>(nodes.Length);
        for (int n = 0; n < nodes.Length; n++)
            position[nodes[n]] = n;
        var records = new NodeRecord[nodes.Length];
        for (int n = 0; n < nodes.Length; n++)
        {
            Node node = world.Get<Node>(nodes[n]);
            NodeInputs inputs = world.TryGet(nodes[n], out NodeInputs found) ? found : default;
            var parents = new int[inputs.Count];
            for (int k = 0; k < inputs.Count; k++)
            {
                parents[k] = position[inputs[k]];
                if (parents[k] >= n)
                    throw new InvalidOperationException($"Node {nodes[n]} ({node.Op}) reads a node created after it; checkpoints need nodes created after their inputs.");
            }
            records[n] = new NodeRecord(node.Op, node.Scalar, node.Pieces, world.Get<NodeShape>(nodes[n]), world.Has<Trainable>(nodes[n]), parents);
        }
        return new GraphTable(nodes, records, graph.Loss == Entity.Null ? -1 : position[graph.Loss]);
    }
}
