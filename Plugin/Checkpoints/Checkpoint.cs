using System.Numerics;
using EcsNeural.Systems.Graph;
using EcsNeural.Systems.Reinforcement;

namespace EcsNeural.Plugin.Checkpoints;

/// <summary>
/// Saves and loads a graph — one network, or a whole population (all its instances) — with its architecture, shapes,
/// the values of every parameter (trainable or not: a non-trainable parameter holds state such as normalisation
/// statistics) and the optimizer state (kind, hyper-parameters, per-instance step counts, momentum/Adam moments), in a
/// versioned binary format with an XxHash64 checksum (layout on <see cref="CheckpointFormat"/>).
/// Saving streams to a temporary file beside the target and renames it, so a crash never leaves a half-written
/// checkpoint; the next save of the same path removes temporaries an earlier crashed save left behind.
/// Loading verifies and validates the whole file against the graph before it touches it: a missing, unreadable,
/// truncated, corrupted, wrong-version, out-of-range or wrong-architecture file throws <see cref="CheckpointException"/>
/// naming the file and the field, and changes nothing. Training resumed from a checkpoint gives the same bits as
/// training straight through (gradients are not saved: in <c>GradientMode.Accumulate</c> start from zero).
/// </summary>
public static class Checkpoint
{
    private const string TemporarySuffix = ".tmp";
    private const int TemporaryIdLength = 32;   // a Guid in "N" format

    /// <summary>Writes <paramref name="graph"/> to <paramref name="path"/> atomically (temporary file, then rename).</summary>
    /// <exception cref="CheckpointException">The file cannot be written (missing directory, a folder, no permission, disk full).</exception>
    public static void Save<T>(ComputeGraph<T> graph, string path) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(graph);
        ArgumentException.ThrowIfNullOrEmpty(path);
        RequireLittleEndian();
        graph.Complete();
        GraphTable table = GraphTable.Of(graph);
        if (table.Records.Length == 0)
            throw new ArgumentException($"Graph {graph.Id} has no nodes to save.", nameof(graph));
        string full = FullPath(path);
        if (Directory.Exists(full))
            throw new CheckpointException(path, "file", "is a directory, not a checkpoint file");
        RemoveStaleTemporaries(full);
        string temporary = $"{full}.{Guid.NewGuid():N}{TemporarySuffix}";
        try
        {
            using (var file = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                CheckpointWriter.Write(graph, table, file);
                file.Flush(flushToDisk: true);
            }
            File.Move(temporary, full, overwrite: true);
        }
        catch (Exception ex)
        {
            TryDelete(temporary);
            if (ex is IOException or UnauthorizedAccessException)
                throw new CheckpointException(path, "file", $"cannot be written: {Describe(ex, full)}", ex);
            throw;
        }
    }

    /// <summary>
    /// Loads the checkpoint at <paramref name="path"/> into <paramref name="graph"/>: the values of every parameter of every
    /// instance, and — unless the graph is inference-only — the optimizer (its kind and hyper-parameters replace the
    /// graph's), its state and step counts. The graph must have the checkpoint's element type, instance count, loss and
    /// nodes (op, attributes, shape, inputs) in creation order; it may leave out trailing nodes without parameters (a target
    /// and loss), so a training checkpoint loads into an inference network. The graph's <see cref="ComputeGraph.Numerics"/>
    /// becomes the one it was saved with (a version 2 file, which predates the field, leaves it as it is).
    /// </summary>
    /// <param name="graph">The graph to load into.</param>
    /// <param name="path">The checkpoint file.</param>
    /// <param name="batch">
    /// <see cref="CheckpointBatch.Same"/> (default): every node's shape as saved. <see cref="CheckpointBatch.Any"/>: the graph
    /// may be built for another batch (inputs of the same width, parameters of the same shape), e.g. a network trained on
    /// minibatches of 256 loaded to act on one sample.
    /// </param>
    /// <exception cref="CheckpointException">The file cannot be read or does not fit; nothing was changed.</exception>
    public static void Load<T>(ComputeGraph<T> graph, string path, CheckpointBatch batch = CheckpointBatch.Same) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(graph);
        ArgumentException.ThrowIfNullOrEmpty(path);
        RequireLittleEndian();
        string full = FullPath(path);
        graph.Complete();
        GraphTable table = GraphTable.Of(graph);
        CheckpointContents<T> contents;
        try
        {
            using var file = new FileStream(full, FileMode.Open, FileAccess.Read, FileShare.Read, 4096, FileOptions.SequentialScan);
            contents = CheckpointReader.Read(path, file, graph, table, batch);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new CheckpointException(path, "file", $"cannot be read: {Describe(ex, full)}", ex);
        }
        Apply(contents, graph, table);
    }

    /// <summary>
    /// Writes a policy that learns from reward: its learning graph — the policy and value networks' parameters, the
    /// optimizer's state and step counts — with the running observation statistics in its constant nodes (finishing an
    /// update spread over ticks first). A policy that does not learn writes its acting graph. Rollouts are not saved.
    /// </summary>
    /// <exception cref="CheckpointException">The file cannot be written.</exception>
    public static void Save(PpoPolicy policy, string path)
    {
        ArgumentNullException.ThrowIfNull(policy);
        policy.PrepareToSave();
        Save(policy.TrainingGraph ?? policy.ActingGraph, path);
    }

    /// <summary>
    /// Loads a policy checkpoint into <paramref name="policy"/> (the same hidden layers, observation width and action space;
    /// any agent capacity): parameters, observation statistics and — when the policy learns — the optimizer. The policy
    /// then acts with them from the next tick and starts a fresh rollout. A training checkpoint loads into a policy of a
    /// module installed for inference, to ship a trained behaviour.
    /// </summary>
    /// <exception cref="CheckpointException">The file cannot be read or does not fit; nothing was changed.</exception>
    public static void Load(PpoPolicy policy, string path)
    {
        ArgumentNullException.ThrowIfNull(policy);
        policy.CompleteUpdate();
        Load(policy.TrainingGraph ?? policy.ActingGraph, path, CheckpointBatch.Any);   // the acting graph has a row per agent slot
        if (policy.TrainingGraph is { } training)
            policy.ActingGraph.Numerics = training.Numerics;   // acting must round as the saved run did too
        policy.AdoptLoadedState();
    }

    private static void Apply<T>(CheckpointContents<T> contents, ComputeGraph<T> graph, GraphTable table) where T : unmanaged, IFloatingPointIeee754<T>
    {
        bool training = !graph.InferenceOnly;
        if (training)
            graph.Optimizer = contents.Optimizer;
        if (contents.Numerics is { } numerics)
            graph.Numerics = numerics;   // a run resumed elsewhere rounds as it did when saved
        int instances = graph.InstanceCount;
        for (int n = 0; n < table.Nodes.Length; n++)
        {
            if (contents.Values[n] is not { } values)
                continue;
            values.CopyTo(graph.AllValues(table.Nodes[n]));
            if (!training || !table.Records[n].Trainable)
                continue;
            int length = values.Length / Math.Max(1, instances);
            for (int s = 0; s < contents.Optimizer.StateTensors; s++)
            {
                for (int i = 0; i < instances; i++)
                {
                    Span<T> state = graph.OptimizerState(table.Nodes[n], i, s);
                    if (contents.States[n] is { } states)
                        states[s].AsSpan(i * length, length).CopyTo(state);
                    else
                        state.Clear();   // saved from an inference-only graph: no state, as after a fresh start
                }
            }
        }
        for (int i = 0; i < instances; i++)
            graph.SetOptimizerSteps(i, contents.OptimizerSteps[i]);
    }

    private static string FullPath(string path)
    {
        try
        {
            return Path.GetFullPath(path);
        }
        catch (Exception ex) when (ex is ArgumentException or NotSupportedException or PathTooLongException)
        {
            throw new CheckpointException(path, "file", $"not a valid path: {ex.Message}", ex);
        }
    }

    private static string Describe(Exception ex, string full) => ex switch
    {
        _ when Directory.Exists(full) => "it is a directory, not a checkpoint file",
        FileNotFoundException => "no such file",
        DirectoryNotFoundException => $"directory '{Path.GetDirectoryName(full)}' does not exist",
        _ => ex.Message,
    };

    /// <summary>
    /// Deletes the temporaries of earlier saves of <paramref name="full"/> (<c>name.&lt;guid&gt;.tmp</c>) that no save is
    /// writing: a writer holds its temporary exclusively, so one that can be opened exclusively was left by a crash.
    /// Best effort: a temporary that cannot be removed is left for the next save.
    /// </summary>
    private static void RemoveStaleTemporaries(string full)
    {
        string? directory = Path.GetDirectoryName(full);
        if (directory is null || !Directory.Exists(directory))
            return;
        string prefix = Path.GetFileName(full) + ".";
        try
        {
            foreach (string candidate in Directory.EnumerateFiles(directory, "*" + TemporarySuffix))
            {
                if (!IsTemporaryOf(Path.GetFileName(candidate), prefix))
                    continue;
                try
                {
                    using var stale = new FileStream(candidate, FileMode.Open, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.DeleteOnClose);
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
                {
                    // Being written by another save right now, or not ours to delete.
                }
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // The directory cannot be listed; the save itself reports what is wrong with it.
        }
    }

    private static bool IsTemporaryOf(string name, string prefix)
    {
        if (name.Length != prefix.Length + TemporaryIdLength + TemporarySuffix.Length
            || !name.StartsWith(prefix, StringComparison.Ordinal) || !name.EndsWith(TemporarySuffix, StringComparison.Ordinal))
            return false;
        foreach (char c in name.AsSpan(prefix.Length, TemporaryIdLength))
        {
            if (!char.IsAsciiHexDigitLower(c) && !char.IsAsciiDigit(c))
                return false;
        }
        return true;
    }

    private static void TryDelete(string file)
    {
        try
        {
            File.Delete(file);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Left behind; the next save of this path removes it.
        }
    }

    private static void RequireLittleEndian()
    {
        if (!BitConverter.IsLittleEndian)
            throw new PlatformNotSupportedException("Checkpoints are little-endian; this machine is big-endian.");
    }
}
