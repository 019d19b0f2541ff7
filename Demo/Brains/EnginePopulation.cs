using System.IO.Hashing;
using System.Runtime.InteropServices;
using EcsNeural.Demo.Arena;
using EcsNeural.Ecs;
using EcsNeural.Ecs.Jobs;
using EcsNeural.Plugin.Building;
using EcsNeural.Systems;
using EcsNeural.Systems.Graph;
using EcsNeural.Systems.Optimizers;

namespace EcsNeural.Demo.Brains;

/// <summary>
/// The agents' brains on the EcsNeural engine: one <see cref="Mlp"/> graph with one instance per agent,
/// its nodes entities in the brains' own <see cref="World"/>, run by the engine's systems on a
/// <see cref="JobScheduler"/>. <see cref="Act"/> runs the forward pass only (training disabled on the
/// graph); <see cref="Learn"/> runs forward, backward and the Adam update on the same inputs.
/// Each network trains on a small batch per tick: row 0 is its own agent's sample, the other rows are
/// the samples of agents picked by the keyed generator that tick. One sample per tick is a slow,
/// correlated stream; a few decorrelated ones let every network learn the teacher in a minute or two.
/// </summary>
public sealed class EnginePopulation : IBrainPopulation
{
    private readonly World _world = new();
    private readonly JobScheduler _jobs;
    private readonly SystemGroup<float> _systems;
    private readonly MlpNetwork<float> _network;
    private readonly ComputeGraph<float> _graph;
    private readonly int[] _sizes;
    private readonly float[][] _activations;   // per layer (0 = inputs), Count × width, filled after each Act

    /// <param name="count">Agents (graph instances).</param>
    /// <param name="architecture">The controller network; its last layer is the action.</param>
    /// <param name="seed">Seed of the parameter initialisation.</param>
    /// <param name="workers">Threads for the engine's jobs (1 = inline).</param>
    /// <param name="optimizer">The update rule.</param>
    /// <param name="samplesPerAgent">Rows of each network's training batch (1 = only its own sample).</param>
    public EnginePopulation(int count, Mlp architecture, ulong seed, int workers, OptimizerOptions optimizer, int samplesPerAgent)
    {
        if (count < 1) throw new ArgumentOutOfRangeException(nameof(count), count, "need at least one agent");
        if (samplesPerAgent < 1) throw new ArgumentOutOfRangeException(nameof(samplesPerAgent), samplesPerAgent, "need at least one sample per agent");
        _batch = samplesPerAgent;
        _seed = seed;
        _partner = new int[count * samplesPerAgent];
        _jobs = new JobScheduler(workers);
        var runtime = new NeuralRuntime(_world);
        _graph = runtime.CreateGraph<float>(count, seed);
        _graph.Optimizer = optimizer;
        _network = architecture.Build(_graph, batch: samplesPerAgent, OutputLoss.MeanSquaredError);
        _systems = NeuralSystems.Training(runtime, _jobs);
        _systems.Initialize();
        Count = count;
        _sizes = [architecture.InputFeatures, .. architecture.Layers.Select(l => l.Units)];
        _activations = [.. _sizes.Select(width => new float[count * width])];
        _hiddenActivations = [.. architecture.Layers.Select(l => l.Activation.Kind)];
    }

    private readonly ActivationKind[] _hiddenActivations;
    private readonly int _batch;
    private readonly ulong _seed;
    private readonly int[] _partner;   // [agent][row] → whose sample fills that row of the agent's batch
    private long _step;

    public int Count { get; }
    public IReadOnlyList<int> LayerSizes => _sizes;

    public void Act(ReadOnlySpan<float> observations, Span<float> actions)
    {
        int inputs = _sizes[0], outputs = _sizes[^1];
        if (observations.Length != Count * inputs) throw new ArgumentException($"observations hold {observations.Length} values; expected {Count} agents × {inputs}", nameof(observations));
        if (actions.Length != Count * outputs) throw new ArgumentException($"actions hold {actions.Length} values; expected {Count} agents × {outputs}", nameof(actions));
        _step++;
        for (int a = 0; a < Count; a++)
        {
            _partner[a * _batch] = a;
            for (int row = 1; row < _batch; row++)
                _partner[a * _batch + row] = (int)(KeyedRandom.Hash(_seed, a, _step, row) % (ulong)Count);
        }
        Gather(observations, _graph.AllValues(_network.Input), inputs);
        _graph.TrainingEnabled = false;
        _systems.Update(0f);
        ReadOnlySpan<float> output = _graph.AllValues(_network.Output);
        for (int a = 0; a < Count; a++) output.Slice(a * _batch * outputs, outputs).CopyTo(actions.Slice(a * outputs, outputs));
        CaptureActivations(observations);
    }

    public float Learn(ReadOnlySpan<float> targets)
    {
        int outputs = _sizes[^1];
        if (targets.Length != Count * outputs) throw new ArgumentException($"targets hold {targets.Length} values; expected {Count} agents × {outputs}", nameof(targets));
        Gather(targets, _graph.AllValues(_network.Target), outputs);
        _graph.TrainingEnabled = true;
        _systems.Update(0f);
        ReadOnlySpan<float> losses = _graph.AllValues(_network.Loss);
        float sum = 0;
        foreach (float l in losses) sum += l;   // instance order: deterministic
        return sum / Count;
    }

    public ReadOnlySpan<float> Activations(int layer) => _activations[layer];

    public ReadOnlySpan<float> Weights(int agent, int layer) => _graph.Values(_network.Layers[layer].Weights, agent);

    public ulong ParameterChecksum()
    {
        var hash = new XxHash64();
        foreach (DenseLayer layer in _network.Layers)
        {
            hash.Append(MemoryMarshal.AsBytes(_graph.AllValues(layer.Weights)));
            hash.Append(MemoryMarshal.AsBytes(_graph.AllValues(layer.Bias)));
        }
        return hash.GetCurrentHashAsUInt64();
    }

    public void Save(string path)
    {
        using var writer = new BinaryWriter(File.Create(path));
        writer.Write("EcsNeural.Demo.brains/1");
        writer.Write(_network.Architecture.ToString());
        writer.Write(Count);
        foreach (DenseLayer layer in _network.Layers)
        {
            writer.Write(MemoryMarshal.AsBytes(_graph.AllValues(layer.Weights)));
            writer.Write(MemoryMarshal.AsBytes(_graph.AllValues(layer.Bias)));
        }
    }

    public void Dispose()
    {
        _systems.Dispose();
        _jobs.Dispose();
        _world.Dispose();
    }

    /// <summary>Fills every agent's batch rows from the per-agent rows of <paramref name="source"/>.</summary>
    private void Gather(ReadOnlySpan<float> source, Span<float> batch, int width)
    {
        for (int k = 0; k < _partner.Length; k++)
            source.Slice(_partner[k] * width, width).CopyTo(batch.Slice(k * width, width));
    }

    /// <summary>Keeps each layer's post-unit values for drawing (the graph exposes the affine outputs; the unit is re-applied here).</summary>
    private void CaptureActivations(ReadOnlySpan<float> observations)
    {
        observations.CopyTo(_activations[0]);
        for (int l = 0; l < _network.Layers.Length; l++)
        {
            ReadOnlySpan<float> z = _graph.AllValues(_network.Layers[l].Output);
            int width = _sizes[l + 1];
            for (int agent = 0; agent < Count; agent++)
            {
                ReadOnlySpan<float> own = z.Slice(agent * _batch * width, width);   // row 0: the agent's own sample
                Span<float> a = _activations[l + 1].AsSpan(agent * width, width);
                switch (_hiddenActivations[l])
                {
                    case ActivationKind.Tanh: for (int i = 0; i < width; i++) a[i] = MathF.Tanh(own[i]); break;
                    case ActivationKind.Relu: for (int i = 0; i < width; i++) a[i] = MathF.Max(0, own[i]); break;
                    case ActivationKind.Identity: own.CopyTo(a); break;
                    default: throw new NotSupportedException($"drawing activations of {_hiddenActivations[l]} units is not implemented");
                }
            }
        }
    }
}
