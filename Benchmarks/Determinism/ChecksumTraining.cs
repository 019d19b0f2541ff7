using System.IO.Hashing;
using System.Numerics;
using System.Runtime.InteropServices;
using EcsNeural.Components;
using EcsNeural.Components.Agents;
using EcsNeural.Ecs;
using EcsNeural.Ecs.Jobs;
using EcsNeural.Systems;
using EcsNeural.Systems.Graph;
using EcsNeural.Systems.Kernels;
using EcsNeural.Systems.Optimizers;
using EcsNeural.Systems.Population;

namespace EcsNeural.Benchmarks.Determinism;

/// <summary>XxHash64 checksums of everything a training run produced: every node's values, the kept gradients, and the parameters with their optimizer state.</summary>
public readonly record struct TrainingChecksums(string Run, ulong Values, ulong Gradients, ulong Parameters)
{
    /// <summary>One line: the run's name and its three checksums.</summary>
    public override string ToString() => $"{Run} values={Values:x16} gradients={Gradients:x16} parameters={Parameters:x16}";
}

/// <summary>
/// The training runs whose checksums must not depend on the CPU's vector width in the portable mode: a population whose
/// agents spawn and die while it trains (MSE, Adam), a single float network on a batch with every transcendental op
/// (sin, cos, exp, sigmoid, tanh, softplus, log-softmax; softmax cross-entropy, momentum), and a double network (SGD).
/// Inputs are pure functions of (agent or sample, step); nothing depends on time or on the worker count.
/// </summary>
public static class ChecksumTraining
{
    /// <summary>The checksum lines of our element-wise kernels and of all three runs, <paramref name="steps"/> steps each.</summary>
    public static IEnumerable<string> RunAll(int steps, int workers, NumericsMode numerics = NumericsMode.Fast)
    {
        yield return ElementMathChecksums();
        yield return Population(steps, workers, numerics).ToString();
        yield return Network<float>("network-float", steps, workers, batch: 64, width: 64, numerics).ToString();
        yield return Network<double>("network-double", steps, workers, batch: 16, width: 24, numerics).ToString();
    }

    /// <summary>Every <see cref="ElementMath"/> function and the fixed-order sum over 4,099 values per element type, hashed.</summary>
    public static string ElementMathChecksums()
    {
        var random = new Random(17);
        float[] xf = [.. Enumerable.Range(0, 4099).Select(_ => (float)((random.NextDouble() - 0.5) * Math.Pow(10, random.Next(-4, 3))))];
        double[] xd = [.. Enumerable.Range(0, 4099).Select(_ => (random.NextDouble() - 0.5) * Math.Pow(10, random.Next(-4, 4)))];
        return $"element-math float={Hash(xf):x16} double={Hash(xd):x16}";

        static ulong Hash<T>(T[] x) where T : unmanaged, IFloatingPointIeee754<T>
        {
            var hash = new XxHash64();
            var y = new T[x.Length];
            T[] positive = [.. x.Select(T.Abs)];
            foreach (Action apply in (Action[])[() => ElementMath.Exp<T>(x, y), () => ElementMath.Log<T>(positive, y), () => ElementMath.Sin<T>(x, y),
                () => ElementMath.Cos<T>(x, y), () => ElementMath.Tanh<T>(x, y), () => ElementMath.Sigmoid<T>(x, y), () => ElementMath.Softplus<T>(x, y)])
            {
                apply();
                hash.Append(MemoryMarshal.AsBytes(y.AsSpan()));
            }
            T[] sum = [FixedOrderSum.Sum<T>(x), FixedOrderSum.Dot<T>(x, positive)];
            hash.Append(MemoryMarshal.AsBytes(sum.AsSpan()));
            return hash.GetCurrentHashAsUInt64();
        }
    }

    /// <summary>300 agents, 16-32-32-4 (ReLU, tanh), MSE, Adam; the three oldest die and three spawn every tick (±2 drifting).</summary>
    public static TrainingChecksums Population(int steps, int workers, NumericsMode numerics = NumericsMode.Fast)
    {
        using var world = new World();
        using var scheduler = new JobScheduler(workers);
        var runtime = new NeuralRuntime(world, numerics);
        ComputeGraph<float> graph = runtime.CreateGraph<float>(0, seed: 5);
        var nn = new GraphBuilder(graph);
        Entity x = nn.Input(1, 16), t = nn.Input(1, 4);
        DenseLayer h1 = nn.DenseLayer(x, 32, ParameterInit.He, ParameterInit.Constant(0.05));
        Entity a1 = nn.Relu(h1.Output);
        DenseLayer h2 = nn.DenseLayer(a1, 32);
        Entity a2 = nn.Tanh(h2.Output);
        DenseLayer output = nn.DenseLayer(a2, 4);
        graph.Loss = nn.MseLoss(output.Output, t);
        graph.Optimizer = OptimizerOptions.Adam(0.01);
        var populations = new PopulationRegistry(runtime);
        populations.Create(graph, x, output.Output, target: t);
        using SystemGroup<float> training = PopulationSystems.Training<float>(populations, scheduler);

        var alive = new Queue<Entity>();
        void Spawn() => alive.Enqueue(world.Create(new Observation(), new Target(), new AgentAction(), Brain.Unbound(graph.Id)));
        for (int a = 0; a < 300; a++)
            Spawn();
        var sense = new QueryDescription().WithAll<Observation, Target>();
        Span<float> values = stackalloc float[16], y = stackalloc float[4];
        for (int step = 0; step < steps; step++)
        {
            for (int k = 0; k < 3; k++)
                world.Destroy(alive.Dequeue());
            for (int k = 0; k < 3 + (step / 20 % 2 == 0 ? 2 : -2); k++)
                Spawn();
            foreach (Chunk chunk in world.Query(sense))
            {
                ReadOnlySpan<Entity> entities = chunk.Entities;
                Span<Observation> observations = chunk.GetSpan<Observation>();
                Span<Target> targets = chunk.GetSpan<Target>();
                for (int i = 0; i < entities.Length; i++)
                {
                    Fill(entities[i].Id, step, values);
                    observations[i].Values.Set(values);
                    for (int o = 0; o < 4; o++)
                        y[o] = MathF.Max(0, values[o] * values[15 - o]) - 0.25f * values[o + 8];
                    targets[i].Values.Set(y);
                }
            }
            training.Update(0f);
        }
        graph.Complete();
        Entity[] nodes = [x, t, h1.Output, a1, h2.Output, a2, output.Output, graph.Loss];
        return Checksum("population", graph, nodes, [h1.Weights, h1.Bias, h2.Weights, h2.Bias, output.Weights, output.Bias]);
    }

    /// <summary>
    /// One network on a batch: in(32) → dense(width) → sin, cos, exp(−x²), sigmoid, tanh and softplus branches summed →
    /// dense(width) tanh → dense(10) → log-softmax and softmax cross-entropy (both losses summed), momentum.
    /// </summary>
    public static TrainingChecksums Network<T>(string name, int steps, int workers, int batch, int width, NumericsMode numerics = NumericsMode.Fast)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        using var world = new World();
        using var scheduler = new JobScheduler(workers);
        var runtime = new NeuralRuntime(world, numerics);
        ComputeGraph<T> graph = runtime.CreateGraph<T>(1, seed: 9);
        var nn = new GraphBuilder(graph);
        Entity x = nn.Input(batch, 32), labels = nn.Input(batch, 10);
        DenseLayer d1 = nn.DenseLayer(x, width, ParameterInit.Xavier);
        Entity z = nn.Scale(d1.Output, 0.5);
        Entity mixed = nn.Add(nn.Add(nn.Sin(z), nn.Cos(z)), nn.Add(nn.Exp(nn.Scale(nn.Square(z), -1)), nn.Sigmoid(z)));
        mixed = nn.Add(mixed, nn.Add(nn.Tanh(z), nn.Scale(nn.Softplus(z), 0.5)));
        DenseLayer d2 = nn.DenseLayer(mixed, width, ParameterInit.Xavier);
        Entity h2 = nn.Tanh(d2.Output);
        DenseLayer logits = nn.DenseLayer(h2, 10, ParameterInit.Xavier);
        Entity logProbabilities = nn.LogSoftmax(logits.Output);
        Entity loss = nn.Add(nn.SoftmaxCrossEntropyLoss(logits.Output, labels), nn.Scale(nn.NllLoss(logProbabilities, labels), 0.5));
        graph.Loss = loss;
        graph.Optimizer = typeof(T) == typeof(float) ? OptimizerOptions.Momentum(0.02, 0.9) : OptimizerOptions.Sgd(0.05);
        using SystemGroup<float> training = NeuralSystems.Training<float>(runtime, scheduler);

        var row = new float[32];
        for (int step = 0; step < steps; step++)
        {
            Span<T> inputs = graph.Values(x, 0), targets = graph.Values(labels, 0);
            targets.Clear();
            for (int s = 0; s < batch; s++)
            {
                Fill(s, step % 50, row);
                for (int j = 0; j < 32; j++)
                    inputs[s * 32 + j] = T.CreateTruncating(row[j]);
                int label = (int)((row[0] + row[1] + 2) * 2.49f) % 10;   // a function of the sample, learnable
                targets[s * 10 + label] = T.One;
            }
            training.Update(0f);
        }
        graph.Complete();
        Entity[] nodes = [x, labels, d1.Output, z, mixed, d2.Output, h2, logits.Output, logProbabilities, loss];
        return Checksum(name, graph, nodes, [d1.Weights, d1.Bias, d2.Weights, d2.Bias, logits.Weights, logits.Bias]);
    }

    private static TrainingChecksums Checksum<T>(string name, ComputeGraph<T> graph, Entity[] nodes, Entity[] parameters)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var values = new XxHash64();
        var gradients = new XxHash64();
        var state = new XxHash64();
        foreach (Entity node in nodes)
        {
            values.Append(MemoryMarshal.AsBytes(graph.AllValues(node)));
            if (node != nodes[0] && node != nodes[1])   // inputs are outside G′
                gradients.Append(MemoryMarshal.AsBytes(graph.AllGradients(node)));
        }
        bool adam = graph.Optimizer.Kind == OptimizerKind.Adam, momentum = graph.Optimizer.Kind == OptimizerKind.Momentum;
        foreach (Entity p in parameters)
        {
            state.Append(MemoryMarshal.AsBytes(graph.AllValues(p)));
            gradients.Append(MemoryMarshal.AsBytes(graph.AllGradients(p)));
            for (int i = 0; i < graph.InstanceCount; i++)
            {
                if (adam || momentum)
                    state.Append(MemoryMarshal.AsBytes(graph.OptimizerState(p, i, 0)));
                if (adam)
                    state.Append(MemoryMarshal.AsBytes(graph.OptimizerState(p, i, 1)));
            }
        }
        return new TrainingChecksums(name, values.GetCurrentHashAsUInt64(), gradients.GetCurrentHashAsUInt64(), state.GetCurrentHashAsUInt64());
    }

    /// <summary>Deterministic pseudo-random values in [−1, 1) keyed by (key, step).</summary>
    private static void Fill(int key, int step, Span<float> destination)
    {
        ulong state = ((ulong)(uint)key << 32 | (uint)step) * 0x9E3779B97F4A7C15UL + 1;
        for (int k = 0; k < destination.Length; k++)
        {
            state ^= state >> 31;
            state *= 0xBF58476D1CE4E5B9UL;
            destination[k] = (int)(state >> 41) / (float)(1 << 22) - 1f;
        }
    }
}
