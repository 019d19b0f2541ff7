using EcsNeural.Components;
using EcsNeural.Ecs;
using EcsNeural.Systems;
using EcsNeural.Systems.Graph;
using EcsNeural.Systems.Optimizers;
using EcsNeural.Tests.Support;

namespace EcsNeural.Tests.Backprop;

/// <summary>
/// <see cref="GradientMode.BlockLocal"/>: gradients kept only inside each instance block's job give the same bits as
/// gradients kept in the arena, allocate nothing per step, and refuse what would need them afterwards.
/// </summary>
public class BlockLocalGradientTests
{
    private sealed record Net(EngineFixture<float> F, Entity X, Entity T, Entity[] Parameters);

    /// <summary>
    /// Per instance: x [batch×features] → Dense(hidden) → tanh → a; y = Dense(a, 2) + a·W (a has two consumers, so its gradient is a
    /// sum); MSE against t. Inputs and targets drawn from a fixed seed per instance.
    /// </summary>
    private static Net Build(GradientMode mode, OptimizerOptions optimizer, int instances, int batch, int workers, int features = 3, int hidden = 8)
    {
        var f = new EngineFixture<float>(instances, seed: 21, workers: workers);
        GraphBuilder nn = f.Builder;
        Entity x = nn.Input(batch, features), t = nn.Input(batch, 2);
        DenseLayer first = nn.DenseLayer(x, hidden, ParameterInit.He, ParameterInit.Constant(0.1));
        Entity a = nn.Tanh(first.Output);
        DenseLayer output = nn.DenseLayer(a, 2);
        Entity side = nn.Parameter(hidden, 2, ParameterInit.Xavier);
        f.Graph.Loss = nn.MseLoss(nn.Add(output.Output, nn.MatMul(a, side)), t);
        f.Graph.Optimizer = optimizer;
        f.Graph.GradientMode = mode;
        for (int i = 0; i < instances; i++)
        {
            var random = new Random(1000 + i);
            f.SetInstance(x, i, [.. Enumerable.Range(0, batch * features).Select(_ => (float)random.NextDouble() * 2 - 1)]);
            f.SetInstance(t, i, [.. Enumerable.Range(0, batch * 2).Select(_ => (float)random.NextDouble() - 0.5f)]);
        }
        return new Net(f, x, t, [first.Weights, first.Bias, output.Weights, output.Bias, side]);
    }

    private static OptimizerOptions Optimizer(OptimizerKind kind) => kind switch
    {
        OptimizerKind.Sgd => OptimizerOptions.Sgd(0.05),
        OptimizerKind.Momentum => OptimizerOptions.Momentum(0.05),
        _ => OptimizerOptions.Adam(0.01),
    };

    /// <summary>Every parameter of every instance, then (when the optimizer keeps any) its state, as bits.</summary>
    private static int[] Bits(Net n)
    {
        ComputeGraph<float> g = n.F.Graph;
        IEnumerable<float> values = n.Parameters.SelectMany(e => g.AllValues(e).ToArray());
        int moments = g.Optimizer.Kind switch { OptimizerKind.Adam => 2, OptimizerKind.Momentum => 1, _ => 0 };
        for (int m = 0; m < moments; m++)
        {
            int moment = m;
            values = values.Concat(n.Parameters.SelectMany(e =>
                Enumerable.Range(0, g.InstanceCount).SelectMany(i => g.OptimizerState(e, i, moment).ToArray())));
        }
        return [.. values.Select(BitConverter.SingleToInt32Bits)];
    }

    private static int[] LossBits(Net n) => [.. n.F.Graph.AllValues(n.F.Graph.Loss).ToArray().Select(BitConverter.SingleToInt32Bits)];

    [Slow]
    [TestCase(OptimizerKind.Sgd, 1)]
    [TestCase(OptimizerKind.Sgd, 2)]
    [TestCase(OptimizerKind.Momentum, 2)]
    [TestCase(OptimizerKind.Adam, 1)]
    [TestCase(OptimizerKind.Adam, 2)]
    public void PopulationGivesTheSameBitsAsArenaGradients(OptimizerKind kind, int workers)
    {
        const int instances = 150, steps = 200;   // several blocks, the last one partial
        Net arena = Build(GradientMode.ZeroEachStep, Optimizer(kind), instances, batch: 2, workers: 1);
        Net local = Build(GradientMode.BlockLocal, Optimizer(kind), instances, batch: 2, workers);
        using (arena.F)
        using (local.F)
        {
            Assert.That(local.F.Graph.BlockSize, Is.EqualTo(arena.F.Graph.BlockSize));
            Assert.That(local.F.Graph.BlockSize, Is.LessThan(instances / 2), "the population must span several blocks");
            int[] initial = Bits(arena);
            for (int step = 0; step < steps; step++)
            {
                arena.F.Step();
                local.F.Step();
            }
            Assert.That(Bits(arena), Is.Not.EqualTo(initial), "training moved the parameters");
            Assert.That(Bits(local), Is.EqualTo(Bits(arena)));
            Assert.That(LossBits(local), Is.EqualTo(LossBits(arena)));
        }
    }

    [Slow]
    [TestCase(1)]
    [TestCase(2)]
    public void OneBigBatchSplitIntoRowBlocksGivesTheSameBitsAsArenaGradients(int workers)
    {
        // One instance with a big batch: the products run as GEMMs on the block-local gradients, those of 512 × 64 × 64
        // split into row blocks over the scheduler's workers.
        Net arena = Build(GradientMode.ZeroEachStep, OptimizerOptions.Adam(0.01), 1, batch: 512, workers: 1, features: 64, hidden: 64);
        Net local = Build(GradientMode.BlockLocal, OptimizerOptions.Adam(0.01), 1, batch: 512, workers, features: 64, hidden: 64);
        using (arena.F)
        using (local.F)
        {
            for (int step = 0; step < 10; step++)
            {
                arena.F.Step();
                local.F.Step();
            }
            Assert.That(Bits(local), Is.EqualTo(Bits(arena)));
            Assert.That(LossBits(local), Is.EqualTo(LossBits(arena)));
        }
    }

    [Test]
    public void SwitchingModesKeepsParametersAndOptimizerState()
    {
        Net arena = Build(GradientMode.ZeroEachStep, OptimizerOptions.Adam(0.01), 100, batch: 2, workers: 1);
        Net switched = Build(GradientMode.ZeroEachStep, OptimizerOptions.Adam(0.01), 100, batch: 2, workers: 2);
        using (arena.F)
        using (switched.F)
        {
            for (int step = 0; step < 60; step++)
            {
                if (step == 20)
                    switched.F.Graph.GradientMode = GradientMode.BlockLocal;
                if (step == 40)
                    switched.F.Graph.GradientMode = GradientMode.ZeroEachStep;
                arena.F.Step();
                switched.F.Step();
            }
            Assert.That(Bits(switched), Is.EqualTo(Bits(arena)));
            Assert.That(switched.F.Gradient(switched.Parameters[0], 5), Is.EqualTo(arena.F.Gradient(arena.Parameters[0], 5)),
                "back in ZeroEachStep, gradients are kept and readable again");
        }
    }

    [Test]
    public void ReadingGradientsIsAClearError()
    {
        Net n = Build(GradientMode.BlockLocal, OptimizerOptions.Sgd(0.1), 10, batch: 2, workers: 1);
        using (n.F)
        {
            n.F.Step();
            var one = Assert.Throws<InvalidOperationException>(() => n.F.Graph.Gradients(n.Parameters[0], 0));
            Assert.That(one!.Message, Does.Contain("block-local").And.Contain(n.Parameters[0].ToString()).And.Contain("ZeroEachStep"));
            var all = Assert.Throws<InvalidOperationException>(() => n.F.Graph.AllGradients(n.X));
            Assert.That(all!.Message, Does.Contain("block-local"));
            Assert.That(n.F.Value(n.F.Graph.Loss), Has.All.Matches<float>(float.IsFinite), "values stay readable");
        }
    }

    [Test]
    public void RequestingANonTrainableGradientFailsAtCompileAndTheGraphStaysUsable()
    {
        Net n = Build(GradientMode.BlockLocal, OptimizerOptions.Sgd(0.1), 10, batch: 2, workers: 1);
        using (n.F)
        {
            n.F.Graph.RequestGradients([n.X, n.Parameters[0]]);
            var error = Assert.Throws<GraphValidationException>(() => n.F.Graph.Compile());
            Assert.That(error!.Node, Is.EqualTo(n.X));
            Assert.That(error.Message, Does.Contain("block-local").And.Contain("trainable"));

            n.F.Graph.RequestGradients([n.Parameters[0]]);   // trainable only: fine
            float[] before = n.F.Graph.Values(n.Parameters[0], 3).ToArray();
            n.F.Step();
            Assert.That(n.F.Graph.Values(n.Parameters[0], 3).ToArray(), Is.Not.EqualTo(before));
        }
    }

    [Test]
    public void BackwardAndUpdateForcedApartIsAClearErrorAndTheGraphStaysUsable()
    {
        Net n = Build(GradientMode.BlockLocal, OptimizerOptions.Sgd(0.1), 10, batch: 2, workers: 1);
        using (n.F)
        {
            var compile = new CompileSystem<float>(n.F.Runtime);
            var forward = new ForwardSystem<float>(n.F.Runtime, n.F.Scheduler);
            var backward = new BackwardSystem<float>(n.F.Runtime, n.F.Scheduler);
            var optimizer = new OptimizerSystem<float>(n.F.Runtime, n.F.Scheduler);
            compile.Update(0f);
            forward.Update(0f);
            backward.Update(0f);
            _ = n.F.Value(n.F.Graph.Loss);   // waits for the graph: forward and backward run without the update
            var error = Assert.Throws<InvalidOperationException>(() => optimizer.Update(0f));
            Assert.That(error!.Message, Does.Contain("block-local").And.Contain("same block job"));

            float[] before = n.F.Graph.Values(n.Parameters[0], 0).ToArray();
            n.F.Step();
            Assert.That(n.F.Graph.Values(n.Parameters[0], 0).ToArray(), Is.Not.EqualTo(before), "a normal tick trains again");
        }
    }

    [Slow]
    [TestCase(1)]
    [TestCase(2)]
    public void TrainingStepAllocatesNothingAfterWarmUp(int workers)
    {
        Net n = Build(GradientMode.BlockLocal, OptimizerOptions.Adam(0.001), 300, batch: 2, workers);
        using (n.F)
        {
            Assert.That(Allocations.AfterWarmUp(n.F.Step, steps: 100), Is.Zero);
        }
    }

    [Test]
    public void NonFiniteGradientsAreStillCaught()
    {
        using var f = new EngineFixture<float>(instances: 10, workers: 1);
        Entity x = f.Builder.Input(1, 1);
        Entity w = f.Builder.Parameter(1, 1, ParameterInit.Constant(1));
        Entity product = f.Builder.Mul(x, w);
        f.Graph.Loss = f.Builder.Mean(f.Builder.Log(product));
        f.Graph.GradientMode = GradientMode.BlockLocal;
        for (int i = 0; i < 10; i++)
            f.SetInstance(x, i, 1f);
        f.SetInstance(x, 7, float.Epsilon);   // log is finite (≈ −103), its derivative 1/x overflows to +∞
        var error = Assert.Throws<NonFiniteValueException>(() => f.Step());
        Assert.That((error!.Node, error.Instance, error.InGradient), Is.EqualTo((product, 7, true)));
    }
}
