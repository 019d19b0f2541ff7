using EcsNeural.Components;
using EcsNeural.Ecs;
using EcsNeural.Plugin;
using EcsNeural.Plugin.Building;
using EcsNeural.Systems.Graph;

namespace EcsNeural.Tests.Plugin;

/// <summary>The builder that reads like the math, and general DAGs through the engine's GraphBuilder in an installed module.</summary>
public class MlpBuilderTests
{
    [Test]
    public void ChainReadsLikeTheMathAndComputesIt()
    {
        using var host = new PluginHost();
        Mlp mlp = Mlp.Input(18).Dense(32, Activation.Tanh).Dense(2, Activation.Tanh);
        MlpNetwork<float> net = host.Module.CreateNetwork(mlp, new NetworkOptions { Seed = 3 });
        float[] x = RandomValues(18, seed: 1);
        net.Graph.SetValues(net.Input, 0, x);

        host.Tick();

        Assert.That(mlp.ToString(), Is.EqualTo("18 → 32 Tanh → 2 Tanh"));
        Assert.That(net.Graph.ShapeOf(net.Output), Is.EqualTo(new NodeShape(1, 2)));
        double[] h = Affine(net, 0, x.Select(v => (double)v).ToArray()).Select(Math.Tanh).ToArray();
        double[] y = Affine(net, 1, h).Select(Math.Tanh).ToArray();
        Assert.That(net.Graph.Values(net.Output, 0).ToArray(), Is.EqualTo(y).Within(1e-5));
    }

    [Test]
    public void EveryUnitBuildsAndRuns()
    {
        using var host = new PluginHost();
        Mlp mlp = Mlp.Input(3)
            .Dense(4, Activation.Relu).Dense(4, Activation.LeakyRelu(0.1)).Dense(4, Activation.PRelu())
            .Dense(4, Activation.AbsRelu).Dense(4, Activation.Maxout(3)).Dense(4, Activation.Sigmoid)
            .Dense(4, Activation.Softplus).Dense(4, Activation.HardTanh).Dense(4, Activation.Sin)
            .RadialBasis(5, sigma: 2).Dense(4, Activation.LogSoftmax).Dense(3, Activation.Softmax);
        MlpNetwork<float> net = host.Module.CreateNetwork(mlp, new NetworkOptions { Batch = 2, Loss = OutputLoss.SoftmaxCrossEntropy });
        net.Graph.SetValues(net.Input, 0, [0.5f, -1, 2, 0.1f, 0.2f, -0.3f]);
        net.Graph.SetValues(net.Target, 0, [1, 0, 0, 0, 0, 1]);

        host.Tick();

        Assert.That(net.Layers, Has.Length.EqualTo(12));
        Assert.That(host.World.Get<NodeShape>(net.Layers[4].Weights), Is.EqualTo(new NodeShape(4, 12)), "maxout: 4 units × 3 pieces");
        Assert.That(net.Layers[9].Bias, Is.EqualTo(Entity.Null), "radial basis units have centres, no bias");
        Span<float> p = net.Graph.Values(net.Output, 0);
        Assert.That(p[0] + p[1] + p[2], Is.EqualTo(1f).Within(1e-6f));
        Assert.That(net.Graph.Values(net.Loss, 0)[0], Is.GreaterThan(0f));
    }

    [Test]
    public void LossMustFitTheOutputUnit()
    {
        using var host = new PluginHost();
        int before = host.World.Size;

        var ex = Assert.Throws<ArgumentException>(() => host.Module.CreateNetwork(Mlp.Input(2).Dense(3, Activation.Tanh),
            new NetworkOptions { Loss = OutputLoss.SoftmaxCrossEntropy }));

        Assert.That(ex!.Message, Does.Contain("Softmax").And.Contain("2 → 3 Tanh"));
        Assert.That(host.World.Size, Is.EqualTo(before), "nothing left behind");
        Assert.That(host.Module.Runtime.Graphs, Is.Empty);
    }

    [Test]
    public void BadSizesAreRejectedWithTheirNames()
    {
        Assert.That(Assert.Throws<ArgumentOutOfRangeException>(() => Mlp.Input(0))!.ParamName, Is.EqualTo("features"));
        Assert.That(Assert.Throws<ArgumentOutOfRangeException>(() => Mlp.Input(2).Dense(0))!.ParamName, Is.EqualTo("units"));
        Assert.That(Assert.Throws<ArgumentOutOfRangeException>(() => Activation.Maxout(0))!.ParamName, Is.EqualTo("pieces"));
        Assert.Throws<InvalidOperationException>(() => Mlp.Input(2).Build(new NeuralRuntime(new World()).CreateGraph<float>()));
    }

    [Test]
    public void GeneralDagWithSharedSubexpressionAndTwoOutputsTrainsInTheModule()
    {
        using var host = new PluginHost();
        ComputeGraph<double> graph = host.Module.Runtime.CreateGraph<double>(seed: 2);
        var nn = new GraphBuilder(graph);
        Entity a = nn.Input(1, 3), b = nn.Input(1, 3), target = nn.Input(1, 3);
        DenseLayer shared = nn.DenseLayer(nn.Add(a, b), 3);            // used by both heads: its gradient is their sum
        Entity head1 = nn.Tanh(shared.Output), head2 = nn.Sin(shared.Output);
        graph.Loss = nn.Add(nn.MseLoss(head1, target), nn.MseLoss(head2, target));
        graph.SetValues(a, 0, [0.1, 0.2, 0.3]);
        graph.SetValues(b, 0, [0.3, -0.2, 0.1]);
        graph.SetValues(target, 0, [0.2, -0.1, 0.4]);
        host.Tick();
        double first = graph.Values(graph.Loss, 0)[0];

        for (int frame = 0; frame < 200; frame++)
            host.Tick();

        Assert.That(graph.Values(graph.Loss, 0)[0], Is.LessThan(first / 4));
    }

    internal static float[] RandomValues(int count, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, count).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray();
    }

    private static double[] Affine(MlpNetwork<float> net, int layer, double[] x)
    {
        float[] w = net.Graph.Values(net.Layers[layer].Weights, 0).ToArray(), b = net.Graph.Values(net.Layers[layer].Bias, 0).ToArray();
        int outputs = b.Length;
        var z = new double[outputs];
        for (int j = 0; j < outputs; j++)
        {
            z[j] = b[j];
            for (int i = 0; i < x.Length; i++)
                z[j] += x[i] * w[i * outputs + j];
        }
        return z;
    }
}
