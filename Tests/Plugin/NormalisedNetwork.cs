using EcsNeural.Components;
using EcsNeural.Ecs;
using EcsNeural.Systems.Graph;
using EcsNeural.Systems.Optimizers;

namespace EcsNeural.Tests.Plugin;

/// <summary>
/// A small network that normalises its input by a non-trainable parameter (statistics the host keeps, not the optimizer):
/// y = W₂·tanh(W₁·(x − mean) + b₁) + b₂, MSE to a target. Two samples per instance.
/// </summary>
internal sealed record NormalisedNetwork(ComputeGraph<float> Graph, Entity Input, Entity Target, Entity Mean, Entity[] Parameters)
{
    public const int Features = 3, Outputs = 2, Batch = 2;

    public static NormalisedNetwork Create(PluginHost host, int instances, ulong seed, OptimizerOptions optimizer)
    {
        ComputeGraph<float> graph = host.Module.Runtime.CreateGraph<float>(instances, seed);
        var nn = new GraphBuilder(graph);
        Entity x = nn.Input(Batch, Features), t = nn.Input(Batch, Outputs);
        Entity mean = nn.Parameter(1, Features, ParameterInit.Uniform(1));
        host.World.Remove<Trainable>(mean);
        DenseLayer hidden = nn.DenseLayer(nn.Sub(x, mean), 4);
        DenseLayer output = nn.DenseLayer(nn.Tanh(hidden.Output), Outputs);
        graph.Loss = nn.MseLoss(output.Output, t);
        graph.Optimizer = optimizer;
        return new NormalisedNetwork(graph, x, t, mean, [mean, hidden.Weights, hidden.Bias, output.Weights, output.Bias]);
    }

    /// <summary>Training ticks whose data depend only on (instance, step), with the host moving the mean as it goes.</summary>
    public void Train(PluginHost host, int fromStep, int steps)
    {
        for (int step = fromStep; step < fromStep + steps; step++)
        {
            for (int i = 0; i < Graph.InstanceCount; i++)
            {
                float[] x = MlpBuilderTests.RandomValues(Batch * Features, seed: step * 31 + i);
                Graph.SetValues(Input, i, x);
                Graph.SetValues(Target, i, x[..(Batch * Outputs)].Select(v => v * v).ToArray());
                Span<float> mean = Graph.Values(Mean, i);
                for (int f = 0; f < Features; f++)
                    mean[f] = 0.9f * mean[f] + 0.1f * x[f];
            }
            host.Tick();
        }
    }

    /// <summary>The bits of everything a checkpoint load may change: parameters, optimizer state and steps, and the optimizer.</summary>
    public GraphState State()
    {
        var bits = new List<long>();
        foreach (Entity p in Parameters)
            bits.AddRange(Graph.AllValues(p).ToArray().Select(v => (long)BitConverter.SingleToInt32Bits(v)));
        if (!Graph.InferenceOnly)
        {
            foreach (Entity p in Parameters[1..])
                for (int s = 0; s < Graph.Optimizer.StateTensors; s++)
                    for (int i = 0; i < Graph.InstanceCount; i++)
                        bits.AddRange(Graph.OptimizerState(p, i, s).ToArray().Select(v => (long)BitConverter.SingleToInt32Bits(v)));
        }
        for (int i = 0; i < Graph.InstanceCount; i++)
            bits.Add(Graph.OptimizerSteps(i));
        return new GraphState(Graph.Optimizer, bits.ToArray());
    }
}

/// <summary>What <see cref="NormalisedNetwork.State"/> captured; equal when every bit is.</summary>
internal sealed record GraphState(OptimizerOptions Optimizer, long[] Bits)
{
    public bool Matches(GraphState other) => Optimizer == other.Optimizer && Bits.AsSpan().SequenceEqual(other.Bits);
}
