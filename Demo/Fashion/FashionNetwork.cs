using System.Numerics.Tensors;
using EcsNeural.Components;
using EcsNeural.Ecs;
using EcsNeural.Ecs.Jobs;
using EcsNeural.Systems;
using EcsNeural.Systems.Graph;
using EcsNeural.Systems.Optimizers;

namespace EcsNeural.Demo.Fashion;

/// <summary>
/// The pixels → hidden → hidden → 10 MLP with softmax cross-entropy, as one engine graph (one instance, a minibatch of
/// <see cref="Batch"/> rows). Minibatches are written straight into the input and target nodes, so the graph compiles
/// once and a step allocates nothing.
/// </summary>
public sealed class FashionNetwork : IDisposable
{
    private readonly World _world = new();
    private readonly JobScheduler _scheduler;
    private readonly ComputeGraph<float> _graph;
    private readonly SystemGroup<float> _training, _inference;
    private readonly Entity _input, _target, _logits;
    private readonly int _features, _classes;
    private readonly int[] _evaluationRows;

    /// <summary>Builds the network; <paramref name="workers"/> threads split each big matrix product into row blocks.</summary>
    public FashionNetwork(int features, int classes, IReadOnlyList<int> hidden, HiddenActivation activation, int batch, int workers, ulong seed)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(batch, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(workers, 1);
        (_features, _classes, Batch) = (features, classes, batch);
        _evaluationRows = new int[batch];
        _scheduler = new JobScheduler(workers);
        var runtime = new NeuralRuntime(_world);
        _graph = runtime.CreateGraph<float>(instances: 1, seed);
        var nn = new GraphBuilder(_graph);
        _input = nn.Input(batch, features);
        _target = nn.Input(batch, classes);
        Entity h = _input;
        foreach (int units in hidden)
            h = Activate(nn, nn.DenseLayer(h, units, WeightInit(activation), BiasInit(activation)).Output, activation);
        _logits = nn.DenseLayer(h, classes).Output;
        _graph.Loss = nn.SoftmaxCrossEntropyLoss(_logits, _target);
        _graph.Optimizer = OptimizerOptions.Adam();
        _training = NeuralSystems.Training(runtime, _scheduler);
        _inference = NeuralSystems.Inference(runtime, _scheduler);
    }

    /// <summary>Rows per minibatch.</summary>
    public int Batch { get; }

    /// <summary>The update rule; set it between steps to change the learning rate (Adam's moments are kept).</summary>
    public OptimizerOptions Optimizer
    {
        get => _graph.Optimizer;
        set => _graph.Optimizer = value;
    }

    /// <summary>One Adam step on the images <paramref name="indices"/> (exactly <see cref="Batch"/> of them); returns the minibatch's mean loss.</summary>
    public float TrainStep(LabelledImages data, ReadOnlySpan<int> indices)
    {
        if (indices.Length != Batch)
            throw new ArgumentException($"A training step takes {Batch} images, got {indices.Length}.", nameof(indices));
        WriteImages(data, indices);
        Span<float> targets = _graph.Values(_target, 0);
        targets.Clear();
        for (int r = 0; r < indices.Length; r++)
            targets[r * _classes + data.Labels[indices[r]]] = 1f;
        _graph.TrainingEnabled = true;
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
            _graph.TrainingEnabled = false;
            _inference.Update(0f);
            Span<float> logits = _graph.Values(_logits, 0);
            for (int r = 0; r < n; r++)
            {
                if (TensorPrimitives.IndexOfMax<float>(logits.Slice(r * _classes, _classes)) == data.Labels[start + r])
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
        Span<float> x = _graph.Values(_input, 0);
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

    private static Entity Activate(GraphBuilder nn, Entity x, HiddenActivation activation) => activation switch
    {
        HiddenActivation.Relu => nn.Relu(x),
        HiddenActivation.Tanh => nn.Tanh(x),
        HiddenActivation.Sin => nn.Sin(x),
        _ => throw new ArgumentOutOfRangeException(nameof(activation), activation, "Unknown hidden activation."),
    };

    private static ParameterInit WeightInit(HiddenActivation activation)
        => activation == HiddenActivation.Relu ? ParameterInit.He : ParameterInit.Xavier;

    private static ParameterInit BiasInit(HiddenActivation activation)
        => activation == HiddenActivation.Relu ? ParameterInit.Constant(0.1) : ParameterInit.Zeros;

    /// <inheritdoc/>
    public void Dispose()
    {
        _scheduler.Dispose();
        _world.Dispose();
    }
}
