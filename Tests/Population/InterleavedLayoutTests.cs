using System.Numerics;
using System.Runtime.Intrinsics;
using EcsNeural.Components;
using EcsNeural.Components.Agents;
using EcsNeural.Ecs;
using EcsNeural.Ecs.Jobs;
using EcsNeural.Plugin.Checkpoints;
using EcsNeural.Systems;
using EcsNeural.Systems.Graph;
using EcsNeural.Systems.Kernels;
using EcsNeural.Systems.Optimizers;

namespace EcsNeural.Tests.Population;

/// <summary>
/// <see cref="InstanceLayout.Interleaved"/>: which graphs the engine interleaves, that the interleaved kernels compute what
/// the contiguous ones do (the same forward bits, gradients to rounding), that the accessors, spawn and death and the
/// finite checks see instances as before, that the bits do not depend on the worker count, and that the SGD step fused
/// into the dense backward pass gives the same bits as the optimizer's own pass.
/// </summary>
public class InterleavedLayoutTests
{
    private const int Inputs = 16, Outputs = 4;

    // The tests below run on whatever vectors this CPU has: groups of 16 floats with AVX-512, 8 without.

    /// <summary>
    /// Without AVX-512 a group is one Vector256 (8 floats, 4 doubles): the same kernels, compiled for the narrower vector.
    /// In a child process with AVX-512 switched off (so an AVX-512 machine tests the 8-lane groups too), a linear population trains to the contiguous layout's bits in float and
    /// double and a deep one computes the contiguous forward pass bit for bit.
    /// </summary>
    [Test]
    public void WithoutAvx512TheLayoutInterleavesEightFloatsToAVector()
        => Assert.That(Support.ChildProcess.Run("interleaved-layout", ("DOTNET_EnableAVX512", "0")),
            Is.EqualTo($"interleaved in 256-bit groups, the same bits{Environment.NewLine}completed{Environment.NewLine}"));

    /// <summary>The child process's checks (see <see cref="WithoutAvx512TheLayoutInterleavesEightFloatsToAVector"/>).</summary>
    internal static string CheckBothLayouts()
    {
        foreach (OptimizerKind kind in (OptimizerKind[])[OptimizerKind.Sgd, OptimizerKind.Adam])
        {
            AssertSameBitsInBothLayouts<float>(kind);
            AssertSameBitsInBothLayouts<double>(kind);
        }
        using var contiguous = new Net(37, InstanceLayout.Contiguous, OptimizerOptions.Sgd(0.01));
        using var interleaved = new Net(37, InstanceLayout.Interleaved, OptimizerOptions.Sgd(0.01));
        foreach (Net n in (Net[])[contiguous, interleaved])
        {
            n.Graph.TrainingEnabled = false;
            n.Step(0);
        }
        for (int i = 0; i < 37; i++)
            Assert.That(interleaved.Graph.Values(interleaved.Y, i).ToArray(), Is.EqualTo(contiguous.Graph.Values(contiguous.Y, i).ToArray()), $"output of instance {i}");
        return $"interleaved in {(Vector512.IsHardwareAccelerated ? 512 : 256)}-bit groups, the same bits";
    }

    private sealed class Net : IDisposable
    {
        public Net(int instances, InstanceLayout layout, OptimizerOptions optimizer, int workers = 1, GradientMode mode = GradientMode.BlockLocal,
            bool checkFinite = true, NumericsMode numerics = NumericsMode.Fast, bool squash = false)
        {
            World = new World();
            Scheduler = new JobScheduler(workers);
            Graph = new NeuralRuntime(World, numerics).CreateGraph<float>(instances, seed: 5);
            var nn = new GraphBuilder(Graph);
            X = nn.Input(1, Inputs);
            T = nn.Input(1, Outputs);
            DenseLayer a = nn.DenseLayer(X, 32, ParameterInit.He, ParameterInit.Constant(0.05));
            DenseLayer b = nn.DenseLayer(squash ? nn.Tanh(a.Output) : nn.Relu(a.Output), 32, ParameterInit.He, ParameterInit.Constant(0.05));
            DenseLayer c = nn.DenseLayer(nn.Relu(b.Output), Outputs);
            Y = c.Output;
            Graph.Loss = nn.MseLoss(Y, T);
            Graph.Optimizer = optimizer;
            Graph.GradientMode = mode;
            Graph.CheckFinite = checkFinite;
            Graph.Layout = layout;
            Parameters = [a.Weights, a.Bias, b.Weights, b.Bias, c.Weights, c.Bias];
            Training = NeuralSystems.Training<float>(Graph.Runtime, Scheduler);
        }

        public World World { get; }
        public JobScheduler Scheduler { get; }
        public ComputeGraph<float> Graph { get; }
        public Entity X { get; }
        public Entity T { get; }
        public Entity Y { get; }
        public Entity[] Parameters { get; }
        public SystemGroup<float> Training { get; }

        /// <summary>Writes every instance's input and target for <paramref name="step"/> (a pure function of instance key and step), then trains one tick.</summary>
        public void Step(int step)
        {
            Feed(step);
            Training.Update(0f);
        }

        public void Feed(int step)
        {
            Span<float> x = stackalloc float[Inputs], t = stackalloc float[Outputs];
            for (int i = 0; i < Graph.InstanceCount; i++)
            {
                var random = new Random(i * 7919 + step);
                for (int k = 0; k < Inputs; k++)
                    x[k] = (float)random.NextDouble() * 2 - 1;
                for (int k = 0; k < Outputs; k++)
                    t[k] = x[k] * x[Inputs - 1 - k];
                Graph.SetValues(X, i, x);
                Graph.SetValues(T, i, t);
            }
        }

        public int[] Bits(int instance) => [.. Parameters.SelectMany(p => Graph.Values(p, instance).ToArray()).Select(BitConverter.SingleToInt32Bits)];

        public float[] Floats(int instance) => [.. Parameters.SelectMany(p => Graph.Values(p, instance).ToArray())];

        public void Dispose()
        {
            Training.Dispose();
            Scheduler.Dispose();
            World.Dispose();
        }
    }

    [Test]
    public void TheEngineInterleavesPopulationsThatQualifyAndKeepsTheRestContiguous()
    {
        using (var sgd = new Net(40, InstanceLayout.Automatic, OptimizerOptions.Sgd(0.01)))
            Assert.That(sgd.Graph.CompiledLayout, Is.EqualTo(InstanceLayout.Interleaved));
        using (var momentum = new Net(40, InstanceLayout.Automatic, OptimizerOptions.Momentum(0.01)))
            Assert.That(momentum.Graph.CompiledLayout, Is.EqualTo(InstanceLayout.Interleaved));
        using (var adam = new Net(40, InstanceLayout.Automatic, OptimizerOptions.Adam(0.01)))
            Assert.That(adam.Graph.CompiledLayout, Is.EqualTo(InstanceLayout.Interleaved));
        using (var portable = new Net(40, InstanceLayout.Automatic, OptimizerOptions.Sgd(0.01), numerics: NumericsMode.Portable))
            Assert.That(portable.Graph.CompiledLayout, Is.EqualTo(InstanceLayout.Contiguous));
        using (var few = new Net(3, InstanceLayout.Automatic, OptimizerOptions.Sgd(0.01)))
            Assert.That(few.Graph.CompiledLayout, Is.EqualTo(InstanceLayout.Contiguous), "fewer instances than one group");
        using (var asked = new Net(40, InstanceLayout.Contiguous, OptimizerOptions.Sgd(0.01)))
            Assert.That(asked.Graph.CompiledLayout, Is.EqualTo(InstanceLayout.Contiguous));
    }

    [Test]
    public void AnInterleavedLayoutTheGraphCannotHaveIsRefusedNamingWhy()
    {
        using var portable = new Net(40, InstanceLayout.Interleaved, OptimizerOptions.Sgd(0.01), numerics: NumericsMode.Portable);
        var ex = Assert.Throws<InvalidOperationException>(() => portable.Graph.Compile());
        Assert.That(ex!.Message, Does.Contain($"Graph {portable.Graph.Id}").And.Contain("portable numerics").And.Contain("InstanceLayout.Automatic"));
        portable.Graph.Numerics = NumericsMode.Fast;
        portable.Graph.Compile();
        Assert.That(portable.Graph.CompiledLayout, Is.EqualTo(InstanceLayout.Interleaved), "fixing the setting is enough");

        using var world = new World();
        ComputeGraph<float> graph = new NeuralRuntime(world).CreateGraph<float>(32, seed: 1);
        graph.Layout = InstanceLayout.Interleaved;
        var nn = new GraphBuilder(graph);
        Entity x = nn.Input(1, 8), t = nn.Input(1, 8);
        Entity softmax = nn.Softmax(nn.DenseLayer(x, 8).Output);
        graph.Loss = nn.MseLoss(softmax, t);
        var refused = Assert.Throws<GraphValidationException>(() => graph.Compile());
        Assert.That(refused!.Node, Is.EqualTo(softmax));
        Assert.That(refused.Message, Does.Contain("does not run on interleaved instances"));
        graph.Layout = InstanceLayout.Automatic;
        graph.Compile();
        Assert.That(graph.CompiledLayout, Is.EqualTo(InstanceLayout.Contiguous), "the graph stays usable and falls back");
    }

    [TestCase(37)]   // whole groups (of 16 or 8) and a partial one
    [TestCase(200)]
    public void InterleavedForwardPassesGiveTheContiguousOutputsBitForBit(int instances)
    {
        using var contiguous = new Net(instances, InstanceLayout.Contiguous, OptimizerOptions.Sgd(0.01));
        using var interleaved = new Net(instances, InstanceLayout.Interleaved, OptimizerOptions.Sgd(0.01));
        Assert.That(interleaved.Graph.CompiledLayout, Is.EqualTo(InstanceLayout.Interleaved));
        foreach (Net n in (Net[])[contiguous, interleaved])
        {
            n.Graph.TrainingEnabled = false;
            n.Step(0);
        }
        for (int i = 0; i < instances; i++)
        {
            Assert.That(interleaved.Graph.Values(interleaved.Y, i).ToArray(), Is.EqualTo(contiguous.Graph.Values(contiguous.Y, i).ToArray()), $"output of instance {i}");
            Assert.That(interleaved.Graph.Values(interleaved.Graph.Loss, i)[0], Is.EqualTo(contiguous.Graph.Values(contiguous.Graph.Loss, i)[0]), $"loss of instance {i}");
        }
    }

    private static OptimizerOptions Optimizer(OptimizerKind kind) => kind switch
    {
        OptimizerKind.Sgd => OptimizerOptions.Sgd(0.02),
        OptimizerKind.Momentum => OptimizerOptions.Momentum(0.01),
        _ => OptimizerOptions.Adam(0.003),
    };

    [TestCase(OptimizerKind.Sgd, false)]
    [TestCase(OptimizerKind.Momentum, true)]
    [TestCase(OptimizerKind.Adam, false)]
    public void InterleavedTrainingFollowsContiguousTrainingToRounding(OptimizerKind kind, bool squash)
    {
        const int instances = 50, steps = 60;
        OptimizerOptions optimizer = Optimizer(kind);
        using var contiguous = new Net(instances, InstanceLayout.Contiguous, optimizer, squash: squash);
        using var interleaved = new Net(instances, InstanceLayout.Interleaved, optimizer, squash: squash);
        float[][] initial = [.. Enumerable.Range(0, instances).Select(contiguous.Floats)];
        float firstLoss = 0, lastLoss = 0;
        for (int step = 0; step < steps; step++)
        {
            contiguous.Step(step);
            interleaved.Step(step);
            float loss = interleaved.Graph.AllValues(interleaved.Graph.Loss).ToArray().Average();
            if (step < 10)
                firstLoss += loss;
            if (step >= steps - 10)
                lastLoss += loss;
        }
        Assert.That(lastLoss, Is.LessThan(firstLoss * 0.8f), "the interleaved population learns");
        for (int i = 0; i < instances; i++)
        {
            float[] expected = contiguous.Floats(i), actual = interleaved.Floats(i);
            Assert.That(actual, Is.Not.EqualTo(initial[i]), $"instance {i} trained");
            for (int k = 0; k < expected.Length; k++)
                Assert.That(actual[k], Is.EqualTo(expected[k]).Within(1e-4f + 1e-4f * Math.Abs(expected[k])), $"instance {i}, parameter element {k}");
        }
    }

    /// <summary>
    /// One dense layer and MSE: no input gradient, the one place the interleaved kernels sum in another order, so the
    /// two layouts must agree bit for bit — forward, weight gradients and every optimizer's step, Adam's per-lane bias
    /// corrections included (instances that join later have smaller step counts than their group's neighbours).
    /// </summary>
    [TestCase(OptimizerKind.Sgd)]
    [TestCase(OptimizerKind.Momentum)]
    [TestCase(OptimizerKind.Adam)]
    public void ALinearPopulationTrainsToTheSameBitsInBothLayouts(OptimizerKind kind)
    {
        AssertSameBitsInBothLayouts<float>(kind);
        AssertSameBitsInBothLayouts<double>(kind);   // 8 lanes a group
    }

    private static void AssertSameBitsInBothLayouts<T>(OptimizerKind kind) where T : unmanaged, IFloatingPointIeee754<T>
    {
        const int inputs = 13, outputs = 5;   // an odd input count and an output past the 4-wide vectors: every chain of the kernel
        double[][] Train(InstanceLayout layout)
        {
            using var world = new World();
            using var scheduler = new JobScheduler(2);
            ComputeGraph<T> graph = new NeuralRuntime(world).CreateGraph<T>(30, seed: 9);
            var nn = new GraphBuilder(graph);
            Entity x = nn.Input(1, inputs), t = nn.Input(1, outputs);
            DenseLayer layer = nn.DenseLayer(x, outputs, ParameterInit.He, ParameterInit.Constant(0.1));
            graph.Loss = nn.MseLoss(layer.Output, t);
            graph.Optimizer = Optimizer(kind);
            graph.Layout = layout;
            using SystemGroup<float> training = NeuralSystems.Training<float>(graph.Runtime, scheduler);
            for (int step = 0; step < 40; step++)
            {
                if (step == 15)
                    graph.AddInstance();
                if (step == 25)
                    graph.RemoveInstance(3);
                for (int i = 0; i < graph.InstanceCount; i++)
                {
                    var random = new Random(i * 31 + step);
                    graph.SetValues(x, i, [.. Enumerable.Range(0, inputs).Select(_ => T.CreateTruncating(random.NextDouble() - 0.5))]);
                    graph.SetValues(t, i, [.. Enumerable.Range(0, outputs).Select(_ => T.CreateTruncating(random.NextDouble()))]);
                }
                training.Update(0f);
            }
            Assert.That(graph.CompiledLayout, Is.EqualTo(layout));
            return [.. Enumerable.Range(0, graph.InstanceCount).Select(i => graph.Values(layer.Weights, i).ToArray()
                .Concat(graph.Values(layer.Bias, i).ToArray()).Select(double.CreateTruncating).ToArray())];
        }

        double[][] contiguous = Train(InstanceLayout.Contiguous), interleaved = Train(InstanceLayout.Interleaved);
        Assert.That(interleaved.Length, Is.EqualTo(30));
        for (int i = 0; i < contiguous.Length; i++)
            Assert.That(interleaved[i], Is.EqualTo(contiguous[i]), $"{typeof(T).Name}, instance {i}");   // exact: each float widens exactly
    }

    [Test]
    public void ACheckpointOfAnInterleavedPopulationResumesToTheSameBitsInEitherLayout()
    {
        string path = Path.Combine(Path.GetTempPath(), $"interleaved-{Guid.NewGuid():N}.ckpt");
        try
        {
            using var original = new Net(40, InstanceLayout.Interleaved, OptimizerOptions.Adam(0.003));
            for (int step = 0; step < 10; step++)
                original.Step(step);
            Checkpoint.Save(original.Graph, path);
            int[][] saved = [.. Enumerable.Range(0, 40).Select(original.Bits)];
            for (int step = 10; step < 20; step++)
                original.Step(step);

            using var resumed = new Net(40, InstanceLayout.Interleaved, OptimizerOptions.Sgd(0.5));
            using var contiguous = new Net(40, InstanceLayout.Contiguous, OptimizerOptions.Sgd(0.5));
            Checkpoint.Load(resumed.Graph, path);
            Checkpoint.Load(contiguous.Graph, path);
            for (int i = 0; i < 40; i++)
                Assert.That(contiguous.Bits(i), Is.EqualTo(saved[i]), $"instance {i} loaded into the contiguous layout");
            for (int step = 10; step < 20; step++)
                resumed.Step(step);
            for (int i = 0; i < 40; i++)
                Assert.That(resumed.Bits(i), Is.EqualTo(original.Bits(i)), $"instance {i} after resuming (Adam's moments and step counts came back)");
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static int[][] TrainWithChurn(int workers, bool fused)
    {
        using var n = new Net(0, InstanceLayout.Interleaved, OptimizerOptions.Sgd(0.02), workers, checkFinite: !fused);
        Assert.That(n.Graph.FusedUpdateLayers, Is.EqualTo(fused ? 3 : 0));
        for (int i = 0; i < 70; i++)
            n.Graph.AddInstance();
        for (int step = 0; step < 40; step++)
        {
            if (step == 10)
                n.Graph.RemoveInstance(5);   // the last instance moves into lane 5 of the first group
            if (step == 20)
                n.Graph.AddInstance();
            n.Step(step);
        }
        return [.. Enumerable.Range(0, n.Graph.InstanceCount).Select(n.Bits)];
    }

    [TestCase(false)]
    [TestCase(true)]   // the SGD step fused into the dense backward pass
    public void InterleavedTrainingGivesTheSameBitsWithOneTwoThreeAndEightWorkers(bool fused)
    {
        int[][] one = TrainWithChurn(1, fused);
        foreach (int workers in (int[])[2, 3, 8])
        {
            int[][] other = TrainWithChurn(workers, fused);
            for (int i = 0; i < one.Length; i++)
                Assert.That(other[i], Is.EqualTo(one[i]), $"instance {i}, {workers} workers");
        }
    }

    [Test]
    public void RemovingAnInstanceMovesTheLastOneIntactAndAddingOneDrawsFreshParameters()
    {
        using var n = new Net(40, InstanceLayout.Interleaved, OptimizerOptions.Sgd(0.02));
        for (int step = 0; step < 3; step++)
            n.Step(step);
        int[] last = n.Bits(39), kept = n.Bits(17);
        Assert.That(n.Graph.RemoveInstance(20), Is.EqualTo(39));
        Assert.That(n.Bits(20), Is.EqualTo(last), "instance 39 moved into 20");
        Assert.That(n.Bits(17), Is.EqualTo(kept));
        n.Step(3);   // the vacated lane computes on zeros and stays finite
        int added = n.Graph.AddInstance();
        using var fresh = new Net(41, InstanceLayout.Contiguous, OptimizerOptions.Sgd(0.02));
        Assert.That(added, Is.EqualTo(39));
        Assert.That(n.Bits(39), Is.EqualTo(fresh.Bits(40)), "the newcomer's parameters are the ones key 40 draws");
    }

    [Test]
    public void TheFusedSgdStepGivesTheBitsOfTheOptimizersOwnPass()
    {
        const int instances = 70, steps = 30;
        using var fused = new Net(instances, InstanceLayout.Interleaved, OptimizerOptions.Sgd(0.02), workers: 2, checkFinite: false);
        using var separate = new Net(instances, InstanceLayout.Interleaved, OptimizerOptions.Sgd(0.02), workers: 2, checkFinite: true);
        using var stored = new Net(instances, InstanceLayout.Interleaved, OptimizerOptions.Sgd(0.02), mode: GradientMode.ZeroEachStep, checkFinite: false);
        Assert.That(fused.Graph.FusedUpdateLayers, Is.EqualTo(3), "every dense layer steps its own parameters");
        Assert.That(separate.Graph.FusedUpdateLayers, Is.Zero, "finite checks keep a separate, undoable update");
        Assert.That(stored.Graph.FusedUpdateLayers, Is.Zero, "gradients kept for the host are written");
        for (int step = 0; step < steps; step++)
        {
            fused.Step(step);
            separate.Step(step);
            stored.Step(step);
        }
        for (int i = 0; i < instances; i++)
        {
            Assert.That(fused.Bits(i), Is.EqualTo(separate.Bits(i)), $"instance {i}: fused vs checked");
            Assert.That(fused.Bits(i), Is.EqualTo(stored.Bits(i)), $"instance {i}: fused vs gradients in the arena");
        }
    }

    [Test]
    public void ANonFiniteInputIsReportedForItsOwnInstance()
    {
        using var n = new Net(40, InstanceLayout.Interleaved, OptimizerOptions.Sgd(0.02));
        n.Step(0);
        n.Feed(1);
        n.Graph.Values(n.X, 21)[3] = float.NaN;
        var ex = Assert.Throws<NonFiniteValueException>(() => n.Training.Update(0f));
        Assert.That(ex!.Instance, Is.EqualTo(21));
        Assert.That(ex.Node, Is.EqualTo(n.X));
        n.Step(2);   // the graph stays usable once the input is fixed
    }

    [Test]
    public void AccessorsSeeEachInstanceContiguouslyBetweenTicks()
    {
        using var n = new Net(40, InstanceLayout.Interleaved, OptimizerOptions.Sgd(0.02));
        n.Step(0);
        float[] written = [.. Enumerable.Range(0, Inputs * 32).Select(k => k * 0.001f)];
        n.Graph.SetValues(n.Parameters[0], 33, written);
        Assert.That(n.Graph.Values(n.Parameters[0], 33).ToArray(), Is.EqualTo(written));
        n.Graph.TrainingEnabled = false;
        n.Step(1);   // interleaves again, runs, and the accessor reorders once more
        Assert.That(n.Graph.Values(n.Parameters[0], 33).ToArray(), Is.EqualTo(written), "a forward-only tick leaves the parameters as written");
        Assert.That(n.Graph.AllValues(n.Parameters[0]).Length, Is.EqualTo(40 * Inputs * 32));
    }

    /// <summary>
    /// The population systems through the layout: gather writes each agent's row into its own lane, scatter reads each
    /// agent's action from it (the first tick's actions bit for bit those of the contiguous layout, later ones the
    /// graph's own outputs), across a death that moves the last agent into the hole.
    /// </summary>
    [Test]
    public void GatherAndScatterPassEachAgentsRowsThroughItsOwnLane()
    {
        Dictionary<int, int[]> Run(InstanceLayout layout, Action<PopulationFixture, Entity[]>? more)
        {
            using var f = new PopulationFixture(instances: 0, workers: 2, OptimizerOptions.Sgd(0.01));
            f.Graph.Layout = layout;
            Entity[] agents = [.. Enumerable.Range(0, 40).Select(f.CreateAgent)];
            foreach (Entity agent in agents)
                f.Population.Bind(agent);
            f.Step();
            Assert.That(f.Graph.CompiledLayout, Is.EqualTo(layout));
            Dictionary<int, int[]> first = agents.ToDictionary(a => f.World.Get<AgentTag>(a).Id,
                a => f.World.Get<AgentAction>(a).Values.AsReadOnlySpan().ToArray().Select(BitConverter.SingleToInt32Bits).ToArray());
            more?.Invoke(f, agents);
            return first;
        }

        Dictionary<int, int[]> contiguous = Run(InstanceLayout.Contiguous, null);
        Dictionary<int, int[]> interleaved = Run(InstanceLayout.Interleaved, (f, agents) =>
        {
            f.World.Destroy(agents[4]);   // agent 39 moves into instance 4 at the next gather
            for (int step = 0; step < 3; step++)
                f.Step();
            Assert.That(f.Graph.InstanceCount, Is.EqualTo(39));
            foreach (Entity agent in agents.Where(f.World.IsAlive))
            {
                int instance = f.World.Get<Brain>(agent).Instance;
                Assert.That(f.World.Get<AgentAction>(agent).Values.AsReadOnlySpan().ToArray(),
                    Is.EqualTo(f.Graph.Values(f.Population.ActionOutput, instance).ToArray()), $"agent {f.World.Get<AgentTag>(agent).Id}'s action");
                float[] observed = f.World.Get<Observation>(agent).Values.AsReadOnlySpan().ToArray();
                Assert.That(f.Graph.Values(f.Population.ObservationInput, instance).ToArray(), Is.EqualTo(observed), "its observation row");
            }
        });
        foreach ((int tag, int[] bits) in contiguous)
            Assert.That(interleaved[tag], Is.EqualTo(bits), $"agent {tag}'s first action");
    }
}
