using System.Numerics.Tensors;
using EcsNeural.Ecs;
using EcsNeural.Ecs.Jobs;
using EcsNeural.Plugin.Building;
using EcsNeural.Systems;
using EcsNeural.Systems.Graph;
using EcsNeural.Systems.Optimizers;

namespace EcsNeural.Demo.Fashion;

/// <summary>
/// The pixels → hidden → hidden → 10 MLP with a softmax output and cross-entropy, built with the plugin's <see cref="Mlp"/>
/// (He weights and 0.1 biases for ReLU layers, Xavier and 0 otherwise) as one engine graph: one instance, a minibatch of
/// <see cref="Batch"/> rows. Minibatches are written straight into the input and target nodes, so the graph compiles
/// once and a step allocates nothing.
/// </summary>
public sealed class FashionNetwork : IDisposable
{
    private readonly World _world = new();
    private readonly JobScheduler _scheduler;
    private readonly ComputeGraph<float> _graph;
    private readonly SystemGroup<float> _training, _inference;
    private readonly MlpNetwork<float> _network;
    private readonly int _features, _classes;
    private readonly int[] _evaluationRows;

    /// <summary>Builds the network; <paramref name="workers"/> threads split each big matrix product into row blocks.</summary>
    public FashionNetwork(int features, int classes, IReadOnlyList<int> hidden, Activation activation, int batch, int workers, ulong seed)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(batch, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(workers, 1);
        (_features, _classes, Batch) = (features, classes, batch);
        _evaluationRows = new int[batch];
        _scheduler = new JobScheduler(workers);
        var runtime = new NeuralRuntime(_world);
        _graph = runtime.CreateGraph<float>(instances: 1, seed);
        Mlp mlp = Mlp.Input(features);
        foreach (int units in hidden)
            mlp = mlp.Dense(units, activation);
        _network = mlp.Dense(classes, Activation.Softmax).Build(_graph, batch, OutputLoss.SoftmaxCrossEntropy);
        _graph.Optimizer = OptimizerOptions.Adam();
        _training = NeuralSystems.Training<float>(runtime, _scheduler);
        _inference = NeuralSystems.Inference<float>(runtime, _scheduler);
    }

    /// <summary>Rows per minibatch.</summary>
    public int Batch { get; }

    /// <summary>The update rule; set it between steps to change the learning rate (Adam's moments are kept).</summary>
    public OptimizerOptions Optimizer
    {
        get => _graph.Optimizer;
        set => _graph.Optimizer = value;
    }

    /// <summary>One optimizer step on the images <paramref name="indices"/> (exactly <see cref="Batch"/> of them); returns the minibatch's mean loss.</summary>
    public float TrainStep(LabelledImages data, ReadOnlySpan<int> indices)
    {
        if (indices.Length != Batch)
            throw new ArgumentException($"A training step takes {Batch} images, got {indices.Length}.", nameof(indices));
        WriteImages(data, indices);
        Span<float> targets = _graph.Values(_network.Target, 0);
        targets.Clear();
        for (int r = 0; r < indices.Length; r++)
            targets[r * _classes + data.Labels[indices[r]]] = 1f;
        _training.Update(0f);
        return _graph.Values(_graph.Loss, 0)[0];
    }

    /// <summary>
    /// Classifies every image of <paramref name="data"/> with forward passes only and counts the correct ones. The last
    /// minibatch is padded with blank rows whose outputs are ignored (each row's output depends on its own input only).
    /// </summary>
    public int CountCorrect(LabelledImages data)
    {
        Span<int> rows = _evaluationRows;
        int correct = 0;
        for (int start = 0; start < data.Count; start += Batch)
        {
            int n = Math.Min(Batch, data.Count - start);
            for (int r = 0; r < n; r++)
                rows[r] = start + r;
            WriteImages(data, rows[..n]);
            _inference.Update(0f);
            Span<float> probabilities = _graph.Values(_network.Output, 0);
            for (int r = 0; r < n; r++)
            {
                if (TensorPrimitives.IndexOfMax<float>(probabilities.Slice(r * _classes, _classes)) == data.Labels[start + r])
                    correct++;
            }
        }
        return correct;
    }

    /// <summary>Copies the images into the input rows as pixels / 255 in [0, 1]; rows past the images are zeroed.</summary>
    private void WriteImages(LabelledImages data, ReadOnlySpan<int> indices)
    {
        if (data.PixelsPerImage != _features)
            throw new ArgumentException($"{data.Source} has {data.PixelsPerImage} pixels per image; the network takes {_features}.", nameof(data));
        Span<float> x = _graph.Values(_network.Input, 0);
        for (int r = 0; r < indices.Length; r++)
        {
            Span<float> row = x.Slice(r * _features, _features);
            ReadOnlySpan<byte> image = data.Image(indices[r]);
            for (int j = 0; j < row.Length; j++)
                row[j] = image[j];
            TensorPrimitives.Multiply(row, 1f / 255f, row);
        }
        x[(indices.Length * _features)..].Clear();
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        _scheduler.Dispose();
        _world.Dispose();
    }
}
