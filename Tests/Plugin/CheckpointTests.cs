using System.Buffers.Binary;
using EcsNeural.Components.Agents;
using EcsNeural.Ecs;
using EcsNeural.Plugin;
using EcsNeural.Plugin.Agents;
using EcsNeural.Plugin.Building;
using EcsNeural.Plugin.Checkpoints;
using EcsNeural.Systems.Graph;
using EcsNeural.Systems.Optimizers;

namespace EcsNeural.Tests.Plugin;

/// <summary>Saving and loading networks and populations: exact resumption, and every kind of bad file rejected without effect.</summary>
public class CheckpointTests
{
    private const int Instances = 3;
    private static readonly Mlp Architecture = Mlp.Input(16).Dense(32, Activation.Relu).Dense(4);
    private DirectoryInfo _directory = null!;
    private PluginHost? _fresh;

    [SetUp]
    public void CreateDirectory() => _directory = Directory.CreateTempSubdirectory("ecsneural-checkpoints-");

    [TearDown]
    public void DeleteDirectory()
    {
        _fresh?.Dispose();
        _fresh = null;
        _directory.Delete(recursive: true);
    }

    private string PathOf(string name) => Path.Combine(_directory.FullName, name);

    [TestCase(OptimizerKind.Sgd)]
    [TestCase(OptimizerKind.Momentum)]
    [TestCase(OptimizerKind.Adam)]
    public void SaveLoadContinueGivesTheSameBitsAsTrainingStraightThrough(OptimizerKind kind)
    {
        OptimizerOptions optimizer = kind switch
        {
            OptimizerKind.Sgd => OptimizerOptions.Sgd(0.05),
            OptimizerKind.Momentum => OptimizerOptions.Momentum(0.02, 0.9),
            _ => OptimizerOptions.Adam(0.01),
        };
        string path = PathOf("population.ckpt");
        using var straight = new PluginHost();
        MlpNetwork<float> a = Create(straight, optimizer, seed: 1);
        Train(straight, a, fromStep: 0, steps: 30);
        Checkpoint.Save(a.Graph, path);
        Train(straight, a, fromStep: 30, steps: 30);

        using var resumed = new PluginHost(workers: 2);
        MlpNetwork<float> b = Create(resumed, OptimizerOptions.Sgd(0.5), seed: 99);   // other seed and optimizer: the checkpoint sets both
        Checkpoint.Load(b.Graph, path);
        Train(resumed, b, fromStep: 30, steps: 30);

        Assert.That(Bits(b), Is.EqualTo(Bits(a)));
        Assert.That(b.Graph.Optimizer, Is.EqualTo(optimizer));
        Assert.That(b.Graph.OptimizerSteps(2), Is.EqualTo(60));
    }

    [Test]
    public void PopulationOfAgentsResumesInANewWorld()
    {
        string path = PathOf("agents.ckpt");
        var options = new NetworkOptions { Instances = 0, Loss = OutputLoss.MeanSquaredError, Optimizer = OptimizerOptions.Adam(0.01), Seed = 8 };
        using var first = new PluginHost();
        AgentNetwork original = first.Module.CreatePopulation(Mlp.Input(3).Dense(5, Activation.Tanh).Dense(2), options);
        Entity[] originalAgents = CreateAgents(first, original);
        TrainAgents(first, originalAgents, fromTick: 0, ticks: 20);
        Checkpoint.Save(original.Network.Graph, path);

        using var second = new PluginHost();
        AgentNetwork restored = second.Module.CreatePopulation(Mlp.Input(3).Dense(5, Activation.Tanh).Dense(2),
            options with { Instances = 4, Seed = 1 });   // instances waiting for agents, bound in the original order
        Checkpoint.Load(restored.Network.Graph, path);
        Entity[] restoredAgents = CreateAgents(second, restored);
        TrainAgents(first, originalAgents, fromTick: 20, ticks: 10);
        TrainAgents(second, restoredAgents, fromTick: 20, ticks: 10);

        for (int a = 0; a < 4; a++)
        {
            Assert.That(second.World.Get<AgentAction>(restoredAgents[a]).Values.AsReadOnlySpan().ToArray().Select(BitConverter.SingleToInt32Bits),
                Is.EqualTo(first.World.Get<AgentAction>(originalAgents[a]).Values.AsReadOnlySpan().ToArray().Select(BitConverter.SingleToInt32Bits)));
        }
    }

    private static Entity[] CreateAgents(PluginHost host, AgentNetwork brains)
    {
        var agents = new Entity[4];
        for (int a = 0; a < agents.Length; a++)
        {
            agents[a] = host.World.Create(new Observation([0f, 0f, 0f]), new Target([0f, 0f]), new AgentAction());
            Assert.That(brains.Population.Bind(agents[a]), Is.EqualTo(a));
        }
        return agents;
    }

    private static void TrainAgents(PluginHost host, Entity[] agents, int fromTick, int ticks)
    {
        for (int tick = fromTick; tick < fromTick + ticks; tick++)
        {
            for (int a = 0; a < agents.Length; a++)
            {
                float[] x = MlpBuilderTests.RandomValues(3, seed: tick * 7 + a);
                host.World.Get<Observation>(agents[a]).Values.Set(x);
                host.World.Get<Target>(agents[a]).Values.Set([x[0] * x[1], x[2]]);
            }
            host.Tick();
        }
    }

    [Test]
    public void TruncatedFileFailsNamingTheByteAndChangesNothing()
    {
        (MlpNetwork<float> net, string path, int[] before) = SavedAndFreshNetwork();
        byte[] bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..(bytes.Length / 2)]);

        var ex = Assert.Throws<CheckpointException>(() => Checkpoint.Load(net.Graph, path));

        Assert.That(ex!.Message, Does.Contain($"truncated at byte {bytes.Length / 2} of {bytes.Length}").And.Contain(path));
        Assert.That(Bits(net), Is.EqualTo(before));
    }

    [Test]
    public void CorruptedFileFailsTheChecksumAndChangesNothing()
    {
        (MlpNetwork<float> net, string path, int[] before) = SavedAndFreshNetwork();
        byte[] bytes = File.ReadAllBytes(path);
        bytes[bytes.Length - 100] ^= 0x10;   // one bit of one parameter
        File.WriteAllBytes(path, bytes);

        var ex = Assert.Throws<CheckpointException>(() => Checkpoint.Load(net.Graph, path));

        Assert.That(ex!.Field, Is.EqualTo("checksum"));
        Assert.That(ex.Message, Does.Contain("the file is corrupted"));
        Assert.That(Bits(net), Is.EqualTo(before));
    }

    [Test]
    public void WrongVersionFailsNamingBothVersions()
    {
        (MlpNetwork<float> net, string path, int[] before) = SavedAndFreshNetwork();
        byte[] bytes = File.ReadAllBytes(path);
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(8), 7);
        File.WriteAllBytes(path, bytes);

        var ex = Assert.Throws<CheckpointException>(() => Checkpoint.Load(net.Graph, path));

        Assert.That(ex!.Message, Does.Contain("expected version 2–3, file has 7"));
        Assert.That(Bits(net), Is.EqualTo(before));
    }

    [Test]
    public void NotACheckpointFailsOnTheMagic()
    {
        (MlpNetwork<float> net, string path, _) = SavedAndFreshNetwork();
        File.WriteAllText(path, "hello, world: not a checkpoint");

        Assert.That(Assert.Throws<CheckpointException>(() => Checkpoint.Load(net.Graph, path))!.Message, Does.Contain("bad magic"));
    }

    [Test]
    public void WrongArchitectureFailsNamingTheNodeAndBothShapes()
    {
        (_, string path, _) = SavedAndFreshNetwork();
        using var host = new PluginHost();
        MlpNetwork<float> wider = host.Module.CreateNetwork(Mlp.Input(16).Dense(64, Activation.Relu).Dense(4),
            new NetworkOptions { Instances = Instances, Loss = OutputLoss.MeanSquaredError });
        int[] before = Bits(wider);

        var ex = Assert.Throws<CheckpointException>(() => Checkpoint.Load(wider.Graph, path));

        Assert.That(ex!.Field, Is.EqualTo("node 1"));
        Assert.That(ex.Message, Does.Contain("node 1: architecture mismatch (Parameter").And.Contain("checkpoint shape 16×32, graph 16×64"));
        Assert.That(Bits(wider), Is.EqualTo(before));
    }

    [Test]
    public void WrongInstanceCountOrElementTypeFails()
    {
        (_, string path, _) = SavedAndFreshNetwork();
        using var host = new PluginHost();
        MlpNetwork<float> two = host.Module.CreateNetwork(Architecture, new NetworkOptions { Instances = 2, Loss = OutputLoss.MeanSquaredError });
        MlpNetwork<double> doubles = Architecture.Build(host.Module.Runtime.CreateGraph<double>(Instances), loss: OutputLoss.MeanSquaredError);

        Assert.That(Assert.Throws<CheckpointException>(() => Checkpoint.Load(two.Graph, path))!.Message,
            Does.Contain("instance count mismatch: checkpoint has 3, graph has 2"));
        Assert.That(Assert.Throws<CheckpointException>(() => Checkpoint.Load(doubles.Graph, path))!.Message,
            Does.Contain("element type mismatch"));
    }

    [Test]
    public void TrainingCheckpointLoadsIntoAnInferenceNetwork()
    {
        string path = PathOf("trained.ckpt");
        using var training = new PluginHost();
        MlpNetwork<float> trained = Create(training, OptimizerOptions.Adam(0.01), seed: 3);
        Train(training, trained, 0, 20);
        Checkpoint.Save(trained.Graph, path);
        using var shipping = new PluginHost(new NeuralPluginOptions { Mode = PluginMode.Inference });
        MlpNetwork<float> shipped = shipping.Module.CreateNetwork(Architecture, new NetworkOptions { Instances = Instances, Seed = 50 });

        Checkpoint.Load(shipped.Graph, path);
        float[] x = MlpBuilderTests.RandomValues(16, seed: 77);
        for (int i = 0; i < Instances; i++)
        {
            trained.Graph.SetValues(trained.Input, i, x);
            shipped.Graph.SetValues(shipped.Input, i, x);
        }
        trained.Graph.TrainingEnabled = false;
        training.Tick();
        shipping.Tick();

        Assert.That(shipped.Graph.AllValues(shipped.Output).ToArray(), Is.EqualTo(trained.Graph.AllValues(trained.Output).ToArray()));
    }

    /// <summary>Saves a trained network to net.ckpt; returns a fresh, differently seeded network of the same architecture and its parameter bits.</summary>
    private (MlpNetwork<float> Fresh, string Path, int[] Before) SavedAndFreshNetwork()
    {
        string path = PathOf("net.ckpt");
        using (var host = new PluginHost())
        {
            MlpNetwork<float> trained = Create(host, OptimizerOptions.Adam(0.01), seed: 1);
            Train(host, trained, 0, 5);
            Checkpoint.Save(trained.Graph, path);
        }
        _fresh = new PluginHost();
        MlpNetwork<float> net = Create(_fresh, OptimizerOptions.Sgd(0.1), seed: 2);
        return (net, path, Bits(net));
    }

    /// <summary>A 16-32-4 network of 3 instances learning MSE (also the numerics checkpoint tests').</summary>
    internal static MlpNetwork<float> Create(PluginHost host, OptimizerOptions optimizer, ulong seed)
        => host.Module.CreateNetwork(Architecture,
            new NetworkOptions { Instances = Instances, Seed = seed, Loss = OutputLoss.MeanSquaredError, Optimizer = optimizer });

    /// <summary>Training steps whose inputs depend only on (instance, step), so two runs see the same data.</summary>
    internal static void Train(PluginHost host, MlpNetwork<float> net, int fromStep, int steps)
    {
        for (int step = fromStep; step < fromStep + steps; step++)
        {
            for (int i = 0; i < Instances; i++)
            {
                float[] x = MlpBuilderTests.RandomValues(16, seed: step * 31 + i);
                net.Graph.SetValues(net.Input, i, x);
                net.Graph.SetValues(net.Target, i, x[..4].Select(v => v * v).ToArray());
            }
            host.Tick();
        }
    }

    /// <summary>Every layer's weights and biases, as bits.</summary>
    internal static int[] Bits(MlpNetwork<float> net)
        => net.Layers.SelectMany(l => net.Graph.AllValues(l.Weights).ToArray().Concat(net.Graph.AllValues(l.Bias).ToArray()))
            .Select(BitConverter.SingleToInt32Bits).ToArray();
}
