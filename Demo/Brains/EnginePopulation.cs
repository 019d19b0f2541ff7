using EcsNeural.Components;
using System.IO.Hashing;
using System.Runtime.InteropServices;
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
/// Every network sees one sample per tick: its own agent's.
/// </summary>
public sealed class EnginePopulation : IBrainPopulation
{
    private readonly World _world = new();
    private readonly SystemGroup<float> _systems;
    private readonly MlpNetwork<float> _network;
    private readonly ComputeGraph<float> _graph;
    private readonly int[] _sizes;
    private readonly float[][] _activations;   // per layer (0 = inputs), Count × width, filled after each Act
    private readonly OpCode?[] _units;     // each layer's unit, re-applied to its affine output for drawing

    /// <param name="count">Agents (graph instances).</param>
    /// <param name="architecture">The controller network; its last layer is the action.</param>
    /// <param name="seed">Seed of the parameter initialisation.</param>
    /// <param name="jobs">Runs the engine's jobs; shared with its owner (the arena session), not disposed here.</param>
    /// <param name="optimizer">The update rule.</param>
    public EnginePopulation(int count, Mlp architecture, ulong seed, JobScheduler jobs, OptimizerOptions optimizer)
    {
        if (count < 1) throw new ArgumentOutOfRangeException(nameof(count), count, "need at least one agent");
        ArgumentNullException.ThrowIfNull(jobs);
        var runtime = new NeuralRuntime(_world);
        _graph = runtime.CreateGraph<float>(count, seed);
        _graph.Optimizer = optimizer;
        _graph.GradientMode = GradientMode.BlockLocal;   // nothing reads gradients: keep them in cache, same bits
        _network = architecture.Build(_graph, batch: 1, OutputLoss.MeanSquaredError);
        _systems = NeuralSystems.Training<float>(runtime, jobs);
        _systems.Initialize();
        Count = count;
        _sizes = [architecture.InputFeatures, .. architecture.Layers.Select(l => l.Units)];
        _activations = [.. _sizes.Select(width => new float[count * width])];
        _units = [.. architecture.Layers.Select(l => l.Activation.Op)];
    }

    public int Count { get; }
    public IReadOnlyList<int> LayerSizes => _sizes;

    public void Act(ReadOnlySpan<float> observations, Span<float> actions)
    {
        SetObservations(observations, actions);
        _graph.TrainingEnabled = false;
        _systems.Update(0f);
        TakeActions(observations, actions);
    }

    public float Learn(ReadOnlySpan<float> targets)
    {
        SetTargets(targets);
        _graph.TrainingEnabled = true;
        _systems.Update(0f);
        return MeanLoss();
    }

    public float ActAndLearn(ReadOnlySpan<float> observations, ReadOnlySpan<float> targets, Span<float> actions)
    {
        SetObservations(observations, actions);
        SetTargets(targets);
        _graph.TrainingEnabled = true;
        _systems.Update(0f);   // outputs and activations stay those of the forward pass, before the update
        TakeActions(observations, actions);
        return MeanLoss();
    }

    public double LearningRate
    {
        get => _graph.Optimizer.LearningRate;
        set
        {
            OptimizerOptions o = _graph.Optimizer;
            if (value == o.LearningRate) return;
            _graph.Optimizer = o.Kind switch
            {
                OptimizerKind.Sgd => OptimizerOptions.Sgd(value),
                OptimizerKind.Momentum => OptimizerOptions.Momentum(value, o.MomentumCoefficient),
                _ => OptimizerOptions.Adam(value, o.Beta1, o.Beta2, o.Epsilon),
            };
        }
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
        _world.Dispose();
    }

    private void SetObservations(ReadOnlySpan<float> observations, Span<float> actions)
    {
        int inputs = _sizes[0], outputs = _sizes[^1];
        if (observations.Length != Count * inputs) throw new ArgumentException($"observations hold {observations.Length} values; expected {Count} agents × {inputs}", nameof(observations));
        if (actions.Length != Count * outputs) throw new ArgumentException($"actions hold {actions.Length} values; expected {Count} agents × {outputs}", nameof(actions));
        observations.CopyTo(_graph.AllValues(_network.Input));
    }

    private void SetTargets(ReadOnlySpan<float> targets)
    {
        int outputs = _sizes[^1];
        if (targets.Length != Count * outputs) throw new ArgumentException($"targets hold {targets.Length} values; expected {Count} agents × {outputs}", nameof(targets));
        targets.CopyTo(_graph.AllValues(_network.Target));
    }

    private void TakeActions(ReadOnlySpan<float> observations, Span<float> actions)
    {
        _graph.AllValues(_network.Output).CopyTo(actions);
        CaptureActivations(observations);
    }

    private float MeanLoss()
    {
        float sum = 0;
        foreach (float l in _graph.AllValues(_network.Loss)) sum += l;   // instance order: deterministic
        return sum / Count;
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
                ReadOnlySpan<float> own = z.Slice(agent * width, width);
                Span<float> a = _activations[l + 1].AsSpan(agent * width, width);
                switch (_units[l])
                {
                    case OpCode.Tanh: for (int i = 0; i < width; i++) a[i] = MathF.Tanh(own[i]); break;
                    case OpCode.Relu: for (int i = 0; i < width; i++) a[i] = MathF.Max(0, own[i]); break;
                    case null: own.CopyTo(a); break;
                    default: throw new NotSupportedException($"drawing activations of {_units[l]} units is not implemented");
                }
            }
        }
    }
}
