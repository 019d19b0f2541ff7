using EcsNeural.Components;
using EcsNeural.Ecs;
using EcsNeural.Plugin;
using EcsNeural.Plugin.Building;
using EcsNeural.Systems.Graph;
using EcsNeural.Tests.Plugin;
using EcsNeural.Tests.Support;

namespace EcsNeural.Tests.Backprop;

/// <summary>
/// Sizes past what one graph's arena holds are refused with a <see cref="GraphValidationException"/> naming the node,
/// its shape and the limit, before anything is allocated, and the world and graph stay usable.
/// </summary>
public class SizeLimitTests
{
    private static string Limit => $"{GraphLimits.MaxArenaElements:N0}";

    [Test]
    public void ALayerWhoseWeightsWrapAroundInt32IsRefusedNamingTheWeights()
    {
        using var host = new PluginHost();
        long before = GC.GetAllocatedBytesForCurrentThread();
        var ex = Assert.Throws<GraphValidationException>(() => host.Module.CreateNetwork(Mlp.Input(65536).Dense(65537)))!;
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.That(ex.Op, Is.EqualTo(OpCode.Parameter));
        Assert.That(ex.Message, Does.Contain("shape [65536×65537] holds 4,295,032,832 elements per instance").And.Contain(Limit));
        Assert.That(allocated, Is.LessThan(10_000_000));
        Assert.That(host.Module.Runtime.Graphs, Is.Empty, "the failed network left no graph behind");
    }

    [TestCase(65536, 65536)]
    [TestCase(100_000, 100_000)]
    public void ALeafBeyondTheLimitIsRefusedAndCreatesNothing(int rows, int cols)
    {
        using var world = new World();
        var graph = new NeuralRuntime(world).CreateGraph<float>();
        var nn = new GraphBuilder(graph);
        int entities = world.Size;

        var parameter = Assert.Throws<GraphValidationException>(() => nn.Parameter(rows, cols, ParameterInit.Zeros))!;
        var input = Assert.Throws<GraphValidationException>(() => nn.Input(rows, cols))!;

        Assert.That(parameter.Message, Does.Contain($"shape [{rows}×{cols}] holds {(long)rows * cols:N0} elements per instance").And.Contain(Limit));
        Assert.That(input.Op, Is.EqualTo(OpCode.Input));
        Assert.That(world.Size, Is.EqualTo(entities));
    }

    [Test]
    public void ABillionUnitLayerIsRefusedNamingTheNode()
    {
        using var host = new PluginHost();
        var ex = Assert.Throws<GraphValidationException>(() => host.Module.CreateNetwork(Mlp.Input(4).Dense(1_000_000_000)))!;
        Assert.That(ex.Message, Does.Contain("[4×1000000000]").And.Contain(Limit));
    }

    [Test]
    public void AnInferredShapeBeyondTheLimitIsRefusedNamingTheOp()
    {
        using var world = new World();
        var graph = new NeuralRuntime(world).CreateGraph<float>();
        var nn = new GraphBuilder(graph);
        Entity a = nn.Input(100_000, 1), b = nn.Input(1, 100_000);

        var ex = Assert.Throws<GraphValidationException>(() => nn.MatMul(a, b))!;

        Assert.That(ex.Op, Is.EqualTo(OpCode.MatMul));
        Assert.That(ex.Message, Does.Contain("[100000×100000]").And.Contain(Limit));
    }

    [TestCase(3000, 1024)]
    [TestCase(65537, 1024)]
    [TestCase(2_000_000, 64)]
    public void TooManyInstancesOfAValidNetworkAreRefusedAtCompileNamingTheNodeAndTheInstances(int instances, int width)
    {
        using var host = new PluginHost();
        MlpNetwork<float> net = host.Module.CreateNetwork(Mlp.Input(width).Dense(width).Dense(width),
            new NetworkOptions { Instances = instances, Loss = OutputLoss.MeanSquaredError });
        long before = GC.GetAllocatedBytesForCurrentThread();

        var ex = Assert.Throws<GraphValidationException>(() => host.Tick())!;
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.That(ex.Message, Does.Contain("the tensor arena reaches").And.Contain($"× {instances:N0} instances").And.Contain(Limit));
        Assert.That(allocated, Is.LessThan(10_000_000), "nothing of the arena's size was allocated");
        Assert.That(() => net.Graph.Compile(), Throws.TypeOf<GraphValidationException>(), "the graph still says why; nothing half-done");
    }

    [Test]
    public void ResizingABatchBeyondTheLimitChangesNothing()
    {
        using var world = new World();
        var graph = new NeuralRuntime(world).CreateGraph<float>();
        var nn = new GraphBuilder(graph);
        Entity x = nn.Input(2, 100_000);

        var ex = Assert.Throws<GraphValidationException>(() => nn.ResizeBatch(100_000, x))!;

        Assert.That(ex.Node, Is.EqualTo(x));
        Assert.That(graph.ShapeOf(x), Is.EqualTo(new NodeShape(2, 100_000)));
    }

    [Test]
    public void AValidArenaThatDoesNotFitInMemoryIsAClearErrorWithItsSize()
    {
        string output = ChildProcess.Run("arena-beyond-memory", ("DOTNET_GCHeapHardLimit", "0x3000000"));   // 48 MiB

        Assert.That(output, Does.StartWith("System.InsufficientMemoryException: Graph 0's tensor arena needs 67,108,864 bytes "
            + "(16,777,216 Single elements for 1 instances), more than the process could allocate"), output);
    }

    [Test]
    public void AnInstanceThatCannotBeAddedLeavesTheCapacityAsItWas()
    {
        using var world = new World();
        var graph = new NeuralRuntime(world).CreateGraph<float>(instances: 1);
        var nn = new GraphBuilder(graph);
        Entity x = nn.Input(2, 3);
        graph.Compile();
        graph.Loss = x;   // not a scalar: the graph no longer compiles

        Assert.Throws<GraphValidationException>(() => graph.AddInstance());

        Assert.That((graph.InstanceCount, graph.InstanceCapacity), Is.EqualTo((1, 1)));
        graph.Loss = Entity.Null;
        Assert.That(graph.AddInstance(), Is.EqualTo(1));
        Assert.That(graph.InstanceCapacity, Is.EqualTo(2));
    }
}
