using System.Numerics;
using System.Runtime.InteropServices;
using EcsNeural.Components;
using EcsNeural.Ecs;
using EcsNeural.Ecs.Jobs;
using EcsNeural.Systems;
using EcsNeural.Systems.Graph;
using EcsNeural.Systems.Optimizers;

namespace EcsNeural.Tests.Numerics;

/// <summary>
/// A result depends on values only: not on where a tensor sits in the arena or in a block's span, nor on which worker
/// ran its block. The graph uses every transcendental op (sin, cos, exp, sigmoid, tanh, softplus, log-softmax) at odd
/// widths, so its instances sit at every alignment and every position of the spans the kernels see.
/// </summary>
public sealed class AddressIndependenceTests
{
    private const int Batch = 3, Inputs = 7, Hidden = 13, Classes = 5;

    /// <summary>
    /// 37 instances given the same parameters and inputs are the same graph evaluated at 37 start offsets (instance i of
    /// a 21-element input starts 21·i elements in, a 39-element one 39·i; blocks put them at every position of the block's spans): after
    /// training steps every instance holds the same bits.
    /// </summary>
    [TestCase(GradientMode.ZeroEachStep)]
    [TestCase(GradientMode.BlockLocal)]
    public void TheSameInstanceAtEveryOffsetTrainsToTheSameBits(GradientMode mode)
    {
        AssertInstancesAgree<float>(mode, v => BitConverter.SingleToInt32Bits(v));
        AssertInstancesAgree<double>(mode, v => BitConverter.DoubleToInt64Bits(v));
    }

    [Test]
    public void OneTwoAndThreeWorkersTrainToTheSameBits()
    {
        ulong[] one = Train<float>(workers: 1, GradientMode.ZeroEachStep, sameInstances: false).Checksums;
        Assert.That(Train<float>(workers: 2, GradientMode.ZeroEachStep, sameInstances: false).Checksums, Is.EqualTo(one), "2 workers");
        Assert.That(Train<float>(workers: 3, GradientMode.ZeroEachStep, sameInstances: false).Checksums, Is.EqualTo(one), "3 workers");
        ulong[] blockLocal = Train<float>(workers: 1, GradientMode.BlockLocal, sameInstances: false).Checksums;
        Assert.That(Train<float>(workers: 3, GradientMode.BlockLocal, sameInstances: false).Checksums, Is.EqualTo(blockLocal), "block-local, 3 workers");
    }

    private static void AssertInstancesAgree<T>(GradientMode mode, Func<T, long> bits) where T : unmanaged, IFloatingPointIeee754<T>
    {
        (ComputeGraph<T> graph, Entity[] nodes, IDisposable owner) = Train<T>(workers: 2, mode, sameInstances: true).Graph;
        using (owner)
        {
            Assert.That(graph.InstanceCount, Is.EqualTo(37));
            Assert.That(graph.BlockSize, Is.LessThan(37), "more than one block, so instances sit at different places in their blocks");
            foreach (Entity node in nodes)
            {
                long[] first = [.. graph.Values(node, 0).ToArray().Select(bits)];
                for (int i = 1; i < graph.InstanceCount; i++)
                    Assert.That(graph.Values(node, i).ToArray().Select(bits), Is.EqualTo(first), $"{typeof(T).Name} {graph.World.Get<Node>(node).Op} {node}, instance {i}");
            }
        }
    }

    /// <summary>Builds the graph with 37 instances, trains 5 steps and returns checksums per node (and the graph, still alive).</summary>
    private static (ulong[] Checksums, (ComputeGraph<T>, Entity[], IDisposable) Graph) Train<T>(int workers, GradientMode mode, bool sameInstances)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var world = new World();
        var scheduler = new JobScheduler(workers);
        var runtime = new NeuralRuntime(world);
        ComputeGraph<T> graph = runtime.CreateGraph<T>(37, seed: 3);
        var nn = new GraphBuilder(graph);
        Entity x = nn.Input(Batch, Inputs), u = nn.Input(Batch, Hidden), labels = nn.Input(Batch, Classes);
        DenseLayer d1 = nn.DenseLayer(x, Hidden, ParameterInit.Xavier, ParameterInit.Uniform(0.5));
        Entity z = d1.Output;
        Entity sum = nn.Add(nn.Add(nn.Sin(z), nn.Cos(z)), nn.Add(nn.Exp(nn.Scale(nn.Square(z), -0.5)), nn.Sigmoid(z)));
        // eᵘ, a third of u in [−1000, −700] (underflow, where library vector code takes another path for a whole vector), the rest in [−5, 0].
        Entity eu = nn.Exp(u);
        sum = nn.Add(sum, nn.Mul(eu, z));
        sum = nn.Add(sum, nn.Add(nn.Tanh(z), nn.Softplus(z)));
        DenseLayer d2 = nn.DenseLayer(sum, Classes, ParameterInit.Xavier);
        Entity logP = nn.LogSoftmax(d2.Output);
        graph.Loss = nn.Add(nn.NllLoss(logP, labels), nn.SoftmaxCrossEntropyLoss(d2.Output, labels));
        graph.Optimizer = OptimizerOptions.Adam(0.01);
        graph.GradientMode = mode;
        Entity[] parameters = [d1.Weights, d1.Bias, d2.Weights, d2.Bias];
        var step = NeuralSystems.Training<float>(runtime, scheduler);
        if (sameInstances)
            for (int i = 1; i < graph.InstanceCount; i++)
                foreach (Entity p in parameters)
                    graph.SetValues(p, i, graph.Values(p, 0));
        var random = new Random(5);
        for (int s = 0; s < 5; s++)
        {
            for (int i = 0; i < graph.InstanceCount; i++)
            {
                var draw = new Random(sameInstances ? s : 1000 * s + i);
                Span<T> xi = graph.Values(x, i), ui = graph.Values(u, i), yi = graph.Values(labels, i);
                for (int j = 0; j < xi.Length; j++)
                    xi[j] = T.CreateTruncating(4 * draw.NextDouble() - 2);
                for (int j = 0; j < ui.Length; j++)
                    ui[j] = T.CreateTruncating(j % 3 == 0 ? -700 - 300 * draw.NextDouble() : -5 * draw.NextDouble());
                yi.Clear();
                for (int r = 0; r < Batch; r++)
                    yi[r * Classes + draw.Next(Classes)] = T.One;
            }
            step.Update(0f);
        }
        graph.Complete();
        Entity[] nodes = [x, u, eu, z, sum, d2.Output, logP, graph.Loss, .. parameters];
        ulong[] checksums = [.. nodes.Select(n => System.IO.Hashing.XxHash64.HashToUInt64(MemoryMarshal.AsBytes(graph.AllValues(n))))];
        var owner = new Owner(step, scheduler, world);
        if (!sameInstances)
        {
            owner.Dispose();
            return (checksums, default);
        }
        return (checksums, (graph, nodes, owner));
    }

    private sealed class Owner(SystemGroup<float> step, JobScheduler scheduler, World world) : IDisposable
    {
        public void Dispose()
        {
            step.Dispose();
            scheduler.Dispose();
            world.Dispose();
        }
    }
}
