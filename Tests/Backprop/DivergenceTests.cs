using EcsNeural.Ecs;
using EcsNeural.Plugin;
using EcsNeural.Plugin.Building;
using EcsNeural.Systems.Graph;
using EcsNeural.Systems.Optimizers;
using EcsNeural.Tests.Plugin;

namespace EcsNeural.Tests.Backprop;

/// <summary>
/// An update that diverges (a parameter NaN, ±∞ or past √MaxValue, or optimizer state not finite) is refused: the block's
/// parameters, optimizer state and step counts are put back bit for bit and a <see cref="DivergenceException"/> names
/// the node and the learning rate; training then goes on as if the step had never been tried.
/// </summary>
public class DivergenceTests
{
    private static OptimizerOptions Options(OptimizerKind kind, double learningRate) => kind switch
    {
        OptimizerKind.Sgd => OptimizerOptions.Sgd(learningRate),
        OptimizerKind.Momentum => OptimizerOptions.Momentum(learningRate, 0.9),
        _ => OptimizerOptions.Adam(learningRate),
    };

    private static MlpNetwork<float> Create(PluginHost host, int instances, OptimizerOptions optimizer)
        => host.Module.CreateNetwork(Mlp.Input(2).Dense(16, Activation.Tanh).Dense(1),
            new NetworkOptions { Instances = instances, Loss = OutputLoss.MeanSquaredError, Optimizer = optimizer, Seed = 4 });

    private static void SetData(MlpNetwork<float> net, int step, Func<int, float>? target = null)
    {
        for (int i = 0; i < net.Graph.InstanceCount; i++)
        {
            float[] x = MlpBuilderTests.RandomValues(2, seed: step * 101 + i);
            net.Graph.SetValues(net.Input, i, x);
            net.Graph.SetValues(net.Target, i, [target?.Invoke(i) ?? x[0] * x[1]]);
        }
    }

    private static void Train(PluginHost host, MlpNetwork<float> net, int fromStep, int steps)
    {
        for (int step = fromStep; step < fromStep + steps; step++)
        {
            SetData(net, step);
            host.Tick();
        }
    }

    /// <summary>Every bit a step changes: parameters, optimizer state, step counts.</summary>
    private static long[] State(MlpNetwork<float> net)
    {
        ComputeGraph<float> g = net.Graph;
        var bits = new List<long>();
        foreach (DenseLayer layer in net.Layers)
        {
            foreach (Entity p in (Entity[])[layer.Weights, layer.Bias])
            {
                bits.AddRange(g.AllValues(p).ToArray().Select(v => (long)BitConverter.SingleToInt32Bits(v)));
                for (int s = 0; s < g.Optimizer.StateTensors; s++)
                    for (int i = 0; i < g.InstanceCount; i++)
                        bits.AddRange(g.OptimizerState(p, i, s).ToArray().Select(v => (long)BitConverter.SingleToInt32Bits(v)));
            }
        }
        for (int i = 0; i < g.InstanceCount; i++)
            bits.Add(g.OptimizerSteps(i));
        return [.. bits];
    }

    [TestCase(OptimizerKind.Sgd, 0.05)]
    [TestCase(OptimizerKind.Momentum, 0.02)]
    [TestCase(OptimizerKind.Adam, 0.01)]
    public void ALearningRateOf1e30IsRefusedAndTrainingGoesOnAsIfNeverTried(OptimizerKind kind, double sane)
    {
        using var reference = new PluginHost();
        MlpNetwork<float> straight = Create(reference, instances: 3, Options(kind, sane));
        Train(reference, straight, 0, 10);
        using var host = new PluginHost();
        MlpNetwork<float> net = Create(host, instances: 3, Options(kind, sane));
        Train(host, net, 0, 5);
        long[] before = State(net);

        net.Graph.Optimizer = Options(kind, 1e30);
        SetData(net, 5);
        var ex = Assert.Throws<DivergenceException>(() => host.Tick())!;

        Assert.That(ex.LearningRate, Is.EqualTo(1e30));
        Assert.That(ex.Message, Does.Contain($"The {kind} update with learning rate 1E+30 made node {ex.Node} (Parameter)'s value")
            .And.Contain("the step was refused for instances [0, 3)"));
        Assert.That(net.Layers.SelectMany(l => new[] { l.Weights, l.Bias }), Does.Contain(ex.Node));
        Assert.That(State(net), Is.EqualTo(before), "parameters, optimizer state and step counts as before the step");

        net.Graph.Optimizer = Options(kind, sane);
        Train(host, net, 5, 5);
        Assert.That(State(net), Is.EqualTo(State(straight)));
    }

    [Test]
    public void OnlyTheBlockWhoseUpdateDivergedIsRefused()
    {
        using var host = new PluginHost(workers: 2);
        MlpNetwork<float> net = Create(host, instances: 150, OptimizerOptions.Sgd(100));
        net.Graph.Compile();
        Assert.That(net.Graph.BlockSize, Is.EqualTo(64));
        SetData(net, 0, target: i => i == 100 ? 1e18f : 0.5f);   // only instance 100's gradient is enormous
        long[] parameters = State(net);

        var ex = Assert.Throws<DivergenceException>(() => host.Tick())!;

        Assert.That(ex.Instance, Is.EqualTo(100));
        Assert.That(ex.Message, Does.Contain("refused for instances [64, 128)"));
        Assert.That(new[] { net.Graph.OptimizerSteps(0), net.Graph.OptimizerSteps(64), net.Graph.OptimizerSteps(127), net.Graph.OptimizerSteps(128) },
            Is.EqualTo(new long[] { 1, 0, 0, 1 }));
        float[] w = net.Graph.AllValues(net.Layers[0].Weights).ToArray();
        int perInstance = 2 * 16;
        Assert.That(w[(64 * perInstance)..(128 * perInstance)].Select(BitConverter.SingleToInt32Bits),
            Is.EqualTo(parameters[(64 * perInstance)..(128 * perInstance)]), "the refused block's weights are as before");
        Assert.That(w[..perInstance].Select(BitConverter.SingleToInt32Bits), Is.Not.EqualTo(parameters[..perInstance]), "block 0 took its step");
    }

    [Test]
    public void SecondMomentThatOverflowsIsRefused()
    {
        using var host = new PluginHost();
        MlpNetwork<float> net = Create(host, instances: 1, OptimizerOptions.Adam(1e-3, beta2: 0.5));
        SetData(net, 0, target: _ => 1.5e19f);   // loss t² finite, but the bias gradient 2t squared overflows float
        long[] before = State(net);

        var ex = Assert.Throws<DivergenceException>(() => host.Tick())!;

        Assert.That(ex.Message, Does.Contain("second moment NaN or infinite"));
        Assert.That(State(net), Is.EqualTo(before));
    }
}
