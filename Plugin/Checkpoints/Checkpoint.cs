using System.Numerics;
using System.Runtime.InteropServices;
using EcsNeural.Systems.Graph;

namespace EcsNeural.Plugin.Checkpoints;

/// <summary>
/// Saves and loads a graph — one network, or a whole population (all its instances) — with its architecture, shapes,
/// parameters and optimizer state (kind, hyper-parameters, per-instance step counts, momentum/Adam moments), in a
/// versioned binary format with an XxHash64 checksum (layout on <see cref="CheckpointFormat"/>).
/// Saving writes a temporary file beside the target and renames it, so a crash never leaves a half-written checkpoint.
/// Loading verifies everything before it touches the graph: a truncated, corrupted, wrong-version or wrong-architecture
/// file throws <see cref="CheckpointException"/> and changes nothing. Training resumed from a checkpoint gives the same
/// bits as training straight through (gradients are not saved: in <c>GradientMode.Accumulate</c> start from zero).
/// </summary>
public static class Checkpoint
{
    /// <summary>Writes <paramref name="graph"/> to <paramref name="path"/> atomically (temporary file, then rename).</summary>
    public static void Save<T>(ComputeGraph<T> graph, string path) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(graph);
        ArgumentException.ThrowIfNullOrEmpty(path);
        RequireLittleEndian();
        graph.Complete();
        byte[] bytes = CheckpointWriter.Write(graph);
        string full = System.IO.Path.GetFullPath(path);
        string temporary = $"{full}.{Guid.NewGuid():N}.tmp";
        try
        {
            using (var file = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                file.Write(bytes);
                file.Flush(flushToDisk: true);
            }
            File.Move(temporary, full, overwrite: true);
        }
        catch
        {
            File.Delete(temporary);
            throw;
        }
    }

    /// <summary>
    /// Loads the checkpoint at <paramref name="path"/> into <paramref name="graph"/>: parameters of every instance, and —
    /// unless the graph is inference-only — the optimizer (its kind and hyper-parameters replace the graph's), its state and
    /// step counts. The graph must have the checkpoint's element type, instance count and nodes (op, attributes, shape,
    /// inputs) in creation order; it may leave out trailing nodes without parameters (a target and loss), so a training
    /// checkpoint loads into an inference network.
    /// </summary>
    /// <exception cref="CheckpointException">The file does not fit; nothing was changed.</exception>
    public static void Load<T>(ComputeGraph<T> graph, string path) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(graph);
        ArgumentException.ThrowIfNullOrEmpty(path);
        RequireLittleEndian();
        CheckpointContents contents = CheckpointReader.Read(path, File.ReadAllBytes(path));
        graph.Complete();
        GraphTable table = GraphTable.Of(graph);
        Validate(path, contents, graph, table);
        Apply(contents, graph, table);
    }

    private static void Validate<T>(string path, CheckpointContents contents, ComputeGraph<T> graph, GraphTable table)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int size = System.Runtime.CompilerServices.Unsafe.SizeOf<T>();
        if (contents.ElementSize != size)
            throw new CheckpointException(path, $"element type mismatch: checkpoint holds {contents.ElementSize}-byte values, graph {typeof(T).Name} ({size} bytes)");
        if (contents.Instances != graph.InstanceCount)
            throw new CheckpointException(path, $"instance count mismatch: checkpoint has {contents.Instances}, graph has {graph.InstanceCount}");
        if (table.Records.Length > contents.Nodes.Length)
            throw new CheckpointException(path, $"architecture mismatch: checkpoint has {contents.Nodes.Length} nodes, graph has {table.Records.Length}");
        for (int n = 0; n < table.Records.Length; n++)
        {
            string? difference = contents.Nodes[n].DifferenceFrom(table.Records[n]);
            if (difference is not null)
                throw new CheckpointException(path, $"architecture mismatch at node {n} ({table.Records[n].Op}, {table.Nodes[n]}): {difference}");
        }
        for (int n = table.Records.Length; n < contents.Nodes.Length; n++)
        {
            if (contents.Nodes[n].Trainable)
                throw new CheckpointException(path, $"architecture mismatch: the graph ends at node {n}, but the checkpoint's node {n} ({contents.Nodes[n].Op}) holds parameters");
        }
    }

    private static void Apply<T>(CheckpointContents contents, ComputeGraph<T> graph, GraphTable table) where T : unmanaged, IFloatingPointIeee754<T>
    {
        bool training = !graph.InferenceOnly;
        if (training)
            graph.Optimizer = contents.Optimizer;
        int instances = contents.Instances;
        int offset = contents.PayloadOffset;
        ReadOnlySpan<byte> file = contents.File;
        for (int n = 0; n < contents.Nodes.Length; n++)
        {
            NodeRecord node = contents.Nodes[n];
            if (!node.Trainable)
                continue;
            int bytes = node.Shape.Length * instances * contents.ElementSize;
            MemoryMarshal.Cast<byte, T>(file.Slice(offset, bytes)).CopyTo(graph.AllValues(table.Nodes[n]));
            offset += bytes;
            for (int s = 0; s < contents.StateTensors; s++)
            {
                for (int i = 0; i < instances; i++)
                {
                    int instanceBytes = node.Shape.Length * contents.ElementSize;
                    if (training)
                        MemoryMarshal.Cast<byte, T>(file.Slice(offset, instanceBytes)).CopyTo(graph.OptimizerState(table.Nodes[n], i, s));
                    offset += instanceBytes;
                }
            }
            if (training && contents.StateTensors == 0 && contents.Optimizer.StateTensors > 0)
            {
                for (int s = 0; s < contents.Optimizer.StateTensors; s++)
                    for (int i = 0; i < instances; i++)
                        graph.OptimizerState(table.Nodes[n], i, s).Clear();
            }
        }
        for (int i = 0; i < instances; i++)
            graph.SetOptimizerSteps(i, contents.OptimizerSteps[i]);
    }

    private static void RequireLittleEndian()
    {
        if (!BitConverter.IsLittleEndian)
            throw new PlatformNotSupportedException("Checkpoints are little-endian; this machine is big-endian.");
    }
}
