using EcsNeural.Components;
using EcsNeural.Ecs;
using EcsNeural.Plugin;
using EcsNeural.Plugin.Agents;
using EcsNeural.Plugin.Building;
using EcsNeural.Systems;
using EcsNeural.Systems.Graph;
using EcsNeural.Systems.Optimizers;
using EcsNeural.Systems.Population;
using EcsNeural.Systems.Reinforcement;

namespace EcsNeural.Tests.Plugin;

/// <summary>Installing the module into a host's world and group, training through the host's own update, and uninstalling.</summary>
public class InstallTests
{
    private static readonly float[] XorInputs = [0, 0, 0, 1, 1, 0, 1, 1];
    private static readonly float[] XorTargets = [0, 1, 1, 0];

    /// <summary>A host system that counts its frames, to show the host's own systems keep running around the module.</summary>
    private sealed class FrameCounter : ISystem<float>
    {
        public int Frames;
        public void Update(in float state) => Frames++;
    }

    [Test]
    public void TrainingInstallAddsOneNestedGroupInTheDocumentedOrder()
    {
        using var host = new PluginHost();

        Assert.That(host.Game.Systems, Is.EqualTo(new[] { host.Module.Group }));
        Assert.That(host.Module.Group.Systems.Select(s => s.GetType()), Is.EqualTo(new[]
        {
            typeof(CompileSystem<float>), typeof(GatherSystem<float>), typeof(PolicyObserveSystem<float>), typeof(ForwardSystem<float>), typeof(BackwardSystem<float>), typeof(OptimizerSystem<float>),
            typeof(CompleteSystem<float>), typeof(ScatterSystem<float>), typeof(PolicyActSystem<float>), typeof(DecisionPeriodSystem<float>),
        }));
    }

    [Test]
    public void InferenceInstallLeavesOutBackwardAndOptimizer()
    {
        using var host = new PluginHost(new NeuralPluginOptions { Mode = PluginMode.Inference });

        Assert.That(host.Module.Group.Systems.Select(s => s.GetType()), Is.EqualTo(new[]
        {
            typeof(CompileSystem<float>), typeof(GatherSystem<float>), typeof(PolicyObserveSystem<float>), typeof(ForwardSystem<float>), typeof(CompleteSystem<float>), typeof(ScatterSystem<float>), typeof(PolicyActSystem<float>),
            typeof(DecisionPeriodSystem<float>),
        }));
    }

    [Test]
    public void NetworkLearnsXorThroughTheHostsOwnUpdate()
    {
        using var host = new PluginHost();
        var counter = new FrameCounter();
        host.Game.Add(counter);
        MlpNetwork<float> net = host.Module.CreateNetwork(Mlp.Input(2).Dense(8, Activation.Relu).Dense(1),
            new NetworkOptions { Batch = 4, Loss = OutputLoss.MeanSquaredError, Seed = 7, Optimizer = OptimizerOptions.Sgd(0.1) });
        net.Graph.SetValues(net.Input, 0, XorInputs);
        net.Graph.SetValues(net.Target, 0, XorTargets);

        for (int frame = 0; frame < 2000; frame++)
            host.Tick();

        Assert.That(counter.Frames, Is.EqualTo(2000));
        Assert.That(net.Graph.Values(net.Loss, 0)[0], Is.LessThan(0.01f));
        Assert.That(net.Graph.Values(net.Output, 0).ToArray(), Is.EqualTo(XorTargets).Within(0.15f));
    }

    [Test]
    public void UninstallReleasesEveryEntityAndDetachesFromTheHostGroup()
    {
        using var host = new PluginHost();
        Entity hostEntity = host.World.Create(new NodeShape(3, 3));   // the game's own entity, untouched by the module
        int before = host.World.Size;
        var counter = new FrameCounter();
        host.Game.Add(counter);
        host.Module.CreateNetwork(Mlp.Input(4).Dense(8, Activation.Tanh).Dense(2), new NetworkOptions { Instances = 70, Loss = OutputLoss.MeanSquaredError });
        host.Module.CreateNetwork(Mlp.Input(3).Dense(2, Activation.Sigmoid));
        host.Tick();
        Assert.That(host.World.Size, Is.GreaterThan(before));

        host.Module.Dispose();
        host.Tick();

        Assert.That(host.World.Size, Is.EqualTo(before));
        Assert.That(host.World.IsAlive(hostEntity));
        Assert.That(host.Module.Runtime.Graphs, Is.Empty);
        Assert.That(host.Game.Systems, Is.EqualTo(new ISystem<float>[] { counter }));
        Assert.That(counter.Frames, Is.EqualTo(2));
        Assert.Throws<ObjectDisposedException>(() => host.Module.CreateNetwork(Mlp.Input(1).Dense(1)));
    }

    [Test]
    public void TwoWorldsEachHostTheModuleIndependently()
    {
        using var a = new PluginHost();
        using var b = new PluginHost(workers: 2);
        var options = new NetworkOptions { Batch = 4, Loss = OutputLoss.MeanSquaredError, Seed = 11, Optimizer = OptimizerOptions.Adam(0.01) };
        MlpNetwork<float> netA = a.Module.CreateNetwork(Mlp.Input(2).Dense(6, Activation.Tanh).Dense(1), options);
        MlpNetwork<float> netB = b.Module.CreateNetwork(Mlp.Input(2).Dense(6, Activation.Tanh).Dense(1), options);
        foreach (MlpNetwork<float> net in new[] { netA, netB })
        {
            net.Graph.SetValues(net.Input, 0, XorInputs);
            net.Graph.SetValues(net.Target, 0, XorTargets);
        }

        for (int frame = 0; frame < 50; frame++)
        {
            a.Tick();
            b.Tick();
        }
        a.Module.Dispose();
        for (int frame = 0; frame < 50; frame++)
            b.Tick();

        Assert.That(a.World.Size, Is.Zero);
        Assert.That(b.Module.Runtime.Graphs, Has.Count.EqualTo(1));
        Assert.That(netB.Graph.OptimizerSteps(0), Is.EqualTo(100));
        Assert.That(netA.Graph.OptimizerSteps(0), Is.EqualTo(50));
    }

    [Test]
    public void SameSeedInTwoWorldsGivesTheSameBits()
    {
        float[] First() => TrainInFreshWorld(workers: 1);
        Assert.That(TrainInFreshWorld(workers: 2).Select(BitConverter.SingleToInt32Bits), Is.EqualTo(First().Select(BitConverter.SingleToInt32Bits)));
    }

    private static float[] TrainInFreshWorld(int workers)
    {
        using var host = new PluginHost(workers: workers);
        MlpNetwork<float> net = host.Module.CreateNetwork(Mlp.Input(2).Dense(5, Activation.Softplus).Dense(1),
            new NetworkOptions { Instances = 130, Batch = 4, Loss = OutputLoss.MeanSquaredError, Seed = 5 });
        for (int i = 0; i < 130; i++)
        {
            net.Graph.SetValues(net.Input, i, XorInputs);
            net.Graph.SetValues(net.Target, i, XorTargets);
        }
        for (int frame = 0; frame < 20; frame++)
            host.Tick();
        return net.Layers.SelectMany(l => net.Graph.AllValues(l.Weights).ToArray()).ToArray();
    }
}
