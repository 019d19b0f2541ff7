using EcsNeural.Components;
using EcsNeural.Ecs;
using EcsNeural.Systems.Graph;
using EcsNeural.Systems.Init;
using EcsNeural.Systems.Kernels;
using EcsNeural.Systems.Optimizers;

namespace EcsNeural.Tests.Backprop;

/// <summary>One graph, N instances: same bits with any worker count, instances added and removed without disturbing others.</summary>
public class DeterminismAndInstancesTests
{
    private sealed record Population(EngineFixture<float> F, Entity X, Entity T, Entity[] Parameters);

    /// <summary>A 3-8-2 tanh MLP per instance, inputs and targets drawn from a fixed seed per instance.</summary>
    private static Population BuildPopulation(int instances, int workers, OptimizerOptions optimizer)
    {
        var f = new EngineFixture<float>(instances, seed: 99, workers: workers);
        Entity x = f.Builder.Input(2, 3);
        Entity t = f.Builder.Input(2, 2);
        DenseLayer hidden = f.Builder.DenseLayer(x, 8);
        DenseLayer output = f.Builder.DenseLayer(f.Builder.Tanh(hidden.Output), 2);
        f.Graph.Loss = f.Builder.MseLoss(output.Output, t);
        f.Graph.Optimizer = optimizer;
        for (int i = 0; i < instances; i++)
            FillData(f, x, t, i, i);
        return new Population(f, x, t, [hidden.Weights, hidden.Bias, output.Weights, output.Bias]);
    }

    private static void FillData(EngineFixture<float> f, Entity x, Entity t, int instance, int dataSeed)
    {
        var random = new Random(dataSeed);
        f.SetInstance(x, instance, [.. Enumerable.Range(0, 6).Select(_ => (float)random.NextDouble() * 2 - 1)]);
        f.SetInstance(t, instance, [.. Enumerable.Range(0, 4).Select(_ => (float)random.NextDouble() - 0.5f)]);
    }

    private static int[] Bits(Population p) =>
        [.. p.Parameters.SelectMany(e => p.F.Graph.AllValues(e).ToArray()).Select(BitConverter.SingleToInt32Bits)];

    [TestCase(OptimizerKind.Sgd)]
    [TestCase(OptimizerKind.Momentum)]
    [TestCase(OptimizerKind.Adam)]
    public void SameBitsWithOneAndTwoWorkers(OptimizerKind kind)
    {
        OptimizerOptions optimizer = kind switch
        {
            OptimizerKind.Sgd => OptimizerOptions.Sgd(0.05),
            OptimizerKind.Momentum => OptimizerOptions.Momentum(0.05),
            _ => OptimizerOptions.Adam(0.01),
        };
        const int instances = 150;   // three blocks, the last one partial
        Population one = BuildPopulation(instances, 1, optimizer), two = BuildPopulation(instances, 2, optimizer);
        using (one.F)
        using (two.F)
        {
            int[] initial = Bits(one);
            for (int step = 0; step < 20; step++)
            {
                one.F.Step();
                two.F.Step();
            }
            Assert.That(Bits(one), Is.Not.EqualTo(initial), "training moved the parameters");
            Assert.That(Bits(two), Is.EqualTo(Bits(one)));
            Assert.That(two.F.Graph.AllValues(two.F.Graph.Loss).ToArray(), Is.EqualTo(one.F.Graph.AllValues(one.F.Graph.Loss).ToArray()));
        }
    }

    [Test]
    public void OneBigBatchSplitIntoRowBlocksGivesTheSameBitsWithOneAndTwoWorkers()
    {
        int[] Train(int workers)
        {
            using var f = new EngineFixture<float>(1, seed: 5, workers: workers);
            Entity x = f.Builder.Input(256, 64);
            Entity t = f.Builder.Input(256, 10);
            DenseLayer hidden = f.Builder.DenseLayer(x, 128, ParameterInit.He);
            DenseLayer output = f.Builder.DenseLayer(f.Builder.Relu(hidden.Output), 10);
            f.Graph.Loss = f.Builder.SoftmaxCrossEntropyLoss(output.Output, t);
            f.Graph.Optimizer = OptimizerOptions.Momentum(0.05);
            var random = new Random(8);
            f.Set(x, [.. Enumerable.Range(0, 256 * 64).Select(_ => (float)random.NextDouble())]);
            f.Set(t, [.. Enumerable.Range(0, 256 * 10).Select(j => j % 10 == (j / 10) % 10 ? 1f : 0f)]);
            for (int step = 0; step < 3; step++)
                f.Step();
            return [.. new[] { hidden.Weights, hidden.Bias, output.Weights, output.Bias }
                .SelectMany(e => f.Value(e)).Select(BitConverter.SingleToInt32Bits)];
        }

        Assert.That(Train(2), Is.EqualTo(Train(1)));
    }

    /// <summary>
    /// A minibatch shaped like PPO's: the tanh layer (8,192 × 32 elements) and its finite scans run in element chunks, the
    /// hidden weight gradient (16 × 32, 8,192 deep) in depth chunks, the output's (32 × 2) in row halves — all on the row
    /// scheduler of a one-block graph.
    /// </summary>
    private static (Entity X, DenseLayer Hidden, DenseLayer Output) BuildDeepBatch(EngineFixture<float> f, int rows)
    {
        Entity x = f.Builder.Input(rows, 16);
        Entity t = f.Builder.Input(rows, 2);
        DenseLayer hidden = f.Builder.DenseLayer(x, 32);
        DenseLayer output = f.Builder.DenseLayer(f.Builder.Tanh(hidden.Output), 2);
        f.Graph.Loss = f.Builder.MseLoss(output.Output, t);
        f.Graph.Optimizer = OptimizerOptions.Adam(1e-3);
        var random = new Random(3);
        f.Set(x, [.. Enumerable.Range(0, rows * 16).Select(_ => (float)random.NextDouble() * 2 - 1)]);
        f.Set(t, [.. Enumerable.Range(0, rows * 2).Select(_ => (float)random.NextDouble() - 0.5f)]);
        return (x, hidden, output);
    }

    [Test]
    public void ABatchBigEnoughForElementChunksAndShallowRowHalvesGivesTheSameBitsWithOneTwoAndThreeWorkers()
    {
        int[] Train(int workers)
        {
            using var f = new EngineFixture<float>(1, seed: 11, workers: workers);
            (_, DenseLayer hidden, DenseLayer output) = BuildDeepBatch(f, 8192);
            for (int step = 0; step < 3; step++)
                f.Step();
            return [.. new[] { hidden.Weights, hidden.Bias, output.Weights, output.Bias }
                .SelectMany(e => f.Value(e)).Select(BitConverter.SingleToInt32Bits)];
        }

        int[] one = Train(1);
        Assert.That(Train(2), Is.EqualTo(one));
        Assert.That(Train(3), Is.EqualTo(one));
    }

    [Test]
    public void AWeightGradientSplitIntoParallelDepthChunksHasTheBitsOfTheSerialProduct()
    {
        const int rows = 8192, inputs = 16, outputs = 32;
        using var f = new EngineFixture<float>(1, seed: 11, workers: 3);
        Entity x = f.Builder.Input(rows, inputs);
        DenseLayer layer = f.Builder.DenseLayer(x, outputs);
        f.Graph.Loss = f.Builder.Sum(layer.Output);   // ∂loss/∂y = 1, so dW = xᵀ·1
        f.Graph.Optimizer = OptimizerOptions.Sgd(1e-9);   // the gradient is what is checked
        var random = new Random(5);
        float[] values = [.. Enumerable.Range(0, rows * inputs).Select(_ => (float)random.NextDouble() * 2 - 1)];
        f.Set(x, values);
        f.Step();

        float[] expected = new float[inputs * outputs];
        Gemm.Multiply<float>(values, true, Enumerable.Repeat(1f, rows * outputs).ToArray(), false, expected, inputs, outputs, rows, accumulate: false);
        Assert.That(f.Gradient(layer.Weights), Is.EqualTo(expected));
    }

    /// <summary>
    /// One row broadcast over many ([256×16] ∘ [1×16]) runs by tiles of rows and sums its gradient down the columns: the
    /// bits of the row-by-row loop, an element-wise product per element and each column summed in row order.
    /// </summary>
    [Test]
    public void ARowBroadcastOverManyRowsKeepsTheRowByRowBits()
    {
        const int rows = 256, cols = 16;
        using var f = new EngineFixture<float>(1, seed: 11, workers: 2);
        Entity a = f.Builder.Parameter(rows, cols, ParameterInit.Zeros);
        Entity b = f.Builder.Parameter(1, cols, ParameterInit.Zeros);
        Entity product = f.Builder.Mul(a, b), difference = f.Builder.Sub(product, b);
        f.Graph.Loss = f.Builder.Sum(difference);
        f.Graph.Optimizer = OptimizerOptions.Sgd(1e-9);   // the gradient is what is checked
        var random = new Random(6);
        float[] av = [.. Enumerable.Range(0, rows * cols).Select(_ => (float)random.NextDouble() * 2 - 1)];
        float[] bv = [.. Enumerable.Range(0, cols).Select(_ => (float)random.NextDouble() * 2 - 1)];
        f.Set(a, av);
        f.Set(b, bv);
        f.Step();

        float[] y = new float[rows * cols], db = new float[cols];
        for (int j = 0; j < cols; j++)
        {
            float fromMul = 0, fromSub = 0;
            for (int r = 0; r < rows; r++)
            {
                y[r * cols + j] = av[r * cols + j] * bv[j] - bv[j];
                fromMul = av[r * cols + j] * 1f + fromMul;   // ∂/∂b of Σ a·b, summed in row order
                fromSub = 1f * -1f + fromSub;                 // ∂/∂b of −Σ b
            }
            db[j] = fromMul + fromSub;   // the two writers' contributions, added once
        }
        Assert.That(f.Value(difference), Is.EqualTo(y));
        Assert.That(f.Gradient(a), Is.EqualTo(Enumerable.Range(0, rows * cols).Select(i => bv[i % cols]).ToArray()));
        Assert.That(f.Gradient(b), Is.EqualTo(db));
    }

    /// <summary>
    /// A one-block graph runs big element-wise passes in element chunks on the row scheduler: the values and gradients
    /// are those of the whole span at once (ElementMath, and the sigmoid gradient's arithmetic), with 1, 2 and 3 workers.
    /// </summary>
    [TestCase(1)]
    [TestCase(2)]
    [TestCase(3)]
    public void BigElementWisePassesInChunksGiveTheBitsOfTheWholeSpan(int workers)
    {
        const int rows = 8192, cols = 32;   // 262,144 elements: four chunks
        using var f = new EngineFixture<float>(1, seed: 11, workers: workers);
        Entity x = f.Builder.Parameter(rows, cols, ParameterInit.Zeros);
        Entity sigmoid = f.Builder.Sigmoid(x), exp = f.Builder.Exp(f.Builder.Scale(x, 0.5));
        f.Graph.Loss = f.Builder.Add(f.Builder.Sum(sigmoid), f.Builder.Sum(exp));
        f.Graph.Optimizer = OptimizerOptions.Sgd(1e-9);   // the gradient is what is checked
        var random = new Random(7);
        float[] xv = [.. Enumerable.Range(0, rows * cols).Select(_ => (float)random.NextDouble() * 8 - 4)];
        f.Set(x, xv);
        f.Step();

        float[] expectedSigmoid = new float[xv.Length], half = [.. xv.Select(v => v * 0.5f)], expectedExp = new float[xv.Length];
        ElementMath.Sigmoid<float>(xv, expectedSigmoid);
        ElementMath.Exp<float>(half, expectedExp);
        Assert.That(f.Value(sigmoid), Is.EqualTo(expectedSigmoid));
        Assert.That(f.Value(exp), Is.EqualTo(expectedExp));
        // ∂/∂x: the sigmoid's y(1−y), then the exp branch's 0.5·e^(x/2) added once as a second contribution.
        float[] expectedGradient = [.. Enumerable.Range(0, xv.Length).Select(i =>
        {
            float y = expectedSigmoid[i], fromSigmoid = 0f + 1f * y * (1f - y);
            float fromExp = 0f + 1f * expectedExp[i] * 0.5f;
            return fromSigmoid + fromExp;
        })];
        Assert.That(f.Gradient(x), Is.EqualTo(expectedGradient));
    }

    /// <summary>
    /// A dense layer big enough that its row jobs share one packing of op(B) (<c>Gemm.SharesPackedB</c>, internal): the forward
    /// product x·w (40 columns: a partial panel) and the input gradient dy·wᵀ (2,100 columns: two column blocks) are the
    /// bits of the serial <see cref="Gemm.Multiply{T}"/>, which packs op(B) for itself, with 1, 2 and 3 workers.
    /// </summary>
    [TestCase(1)]
    [TestCase(2)]
    [TestCase(3)]
    public void RowJobsSharingOnePackingOfABigOperandGiveTheSerialProductsBits(int workers)
    {
        // op(B) of both products holds 84,000 elements, past PackedGemm.MinimumSharedB (65,536); 5.4 M multiply-adds each.
        const int rows = 64, inputs = 2100, outputs = 40;
        using var f = new EngineFixture<float>(1, seed: 11, workers: workers);
        Entity x = f.Builder.Parameter(rows, inputs, ParameterInit.Zeros);
        Entity t = f.Builder.Input(rows, outputs);
        DenseLayer layer = f.Builder.DenseLayer(x, outputs);
        f.Graph.Loss = f.Builder.MseLoss(layer.Output, t);
        f.Graph.Optimizer = OptimizerOptions.Sgd(1e-3);
        var random = new Random(5);
        float[] xv = [.. Enumerable.Range(0, rows * inputs).Select(_ => (float)random.NextDouble() * 2 - 1)];
        f.Set(x, xv);
        f.Set(t, [.. Enumerable.Range(0, rows * outputs).Select(_ => (float)random.NextDouble() - 0.5f)]);
        float[] w = f.Value(layer.Weights), b = f.Value(layer.Bias);
        f.Step();

        float[] expectedY = [.. Enumerable.Range(0, rows * outputs).Select(i => b[i % outputs])];
        Gemm.Multiply<float>(xv, false, w, false, expectedY, rows, outputs, inputs, accumulate: true);
        Assert.That(f.Value(layer.Output), Is.EqualTo(expectedY));
        float[] expectedDx = new float[rows * inputs];
        Gemm.Multiply<float>(f.Gradient(layer.Output), false, w, true, expectedDx, rows, inputs, outputs, accumulate: false);
        Assert.That(f.Gradient(x), Is.EqualTo(expectedDx));
    }

    [Test]
    public void ANonFiniteValueInTheLastChunkOfABigScanIsFoundAndNamed()
    {
        using var f = new EngineFixture<float>(1, seed: 11, workers: 2);
        (Entity x, _, _) = BuildDeepBatch(f, 8192);
        float[] values = f.Value(x);
        values[^3] = float.PositiveInfinity;   // 131,069th of 131,072 elements: the second chunk
        f.Set(x, values);

        var ex = Assert.Throws<NonFiniteValueException>(f.Step)!;

        Assert.That((ex.Node, ex.Op, ex.Instance, ex.InGradient), Is.EqualTo((x, OpCode.Input, 0, false)));
    }

    [Test]
    public void AddingAnInstanceLeavesOthersUntouchedAndInitialisesItsOwnParameters()
    {
        Population p = BuildPopulation(3, 1, OptimizerOptions.Sgd(0.05));
        using (p.F)
        {
            p.F.Step();
            float[][] before = [.. p.Parameters.Select(e => p.F.Graph.AllValues(e).ToArray())];

            int added = p.F.Graph.AddInstance();   // capacity 3 is full: the arena grows

            Assert.That(added, Is.EqualTo(3));
            for (int k = 0; k < p.Parameters.Length; k++)
                Assert.That(p.F.Graph.AllValues(p.Parameters[k])[..before[k].Length].ToArray(), Is.EqualTo(before[k]), $"parameter {k} of the old instances");
            Assert.That(p.F.Value(p.Parameters[0], 3), Is.Not.EqualTo(p.F.Value(p.Parameters[0], 0)), "the new instance has its own draw");
            FillData(p.F, p.X, p.T, 3, 3);
            p.F.Step();
            Assert.That(p.F.Graph.OptimizerSteps(3), Is.EqualTo(1));
            Assert.That(p.F.Graph.OptimizerSteps(0), Is.EqualTo(2));
        }
    }

    [Test]
    public void RemovingAnInstanceSwapsTheLastOneIntoItsPlace()
    {
        Population p = BuildPopulation(4, 1, OptimizerOptions.Adam(0.01));
        using (p.F)
        {
            p.F.Step();
            float[] lastWeights = p.F.Value(p.Parameters[0], 3);
            float[] firstWeights = p.F.Value(p.Parameters[0], 0);

            int movedFrom = p.F.Graph.RemoveInstance(1);

            Assert.That(movedFrom, Is.EqualTo(3));
            Assert.That(p.F.Graph.InstanceCount, Is.EqualTo(3));
            Assert.That(p.F.Value(p.Parameters[0], 1), Is.EqualTo(lastWeights));
            Assert.That(p.F.Value(p.Parameters[0], 0), Is.EqualTo(firstWeights));
            p.F.Step();
            Assert.That(p.F.Graph.OptimizerSteps(1), Is.EqualTo(2));
        }
    }

    [Test]
    public void InstancesTrainIndependently()
    {
        // Instance 1 of a two-instance population follows exactly the path of a one-instance graph on the same data.
        Population pair = BuildPopulation(2, 1, OptimizerOptions.Sgd(0.05));
        Population single = BuildPopulation(1, 1, OptimizerOptions.Sgd(0.05));
        using (pair.F)
        using (single.F)
        {
            FillData(single.F, single.X, single.T, 0, 1);
            for (int k = 0; k < single.Parameters.Length; k++)
                single.F.Graph.SetValues(single.Parameters[k], 0, pair.F.Graph.Values(pair.Parameters[k], 1));
            for (int step = 0; step < 5; step++)
            {
                pair.F.Step();
                single.F.Step();
            }
            for (int k = 0; k < single.Parameters.Length; k++)
                Assert.That(pair.F.Value(pair.Parameters[k], 1), Is.EqualTo(single.F.Value(single.Parameters[k], 0)));
        }
    }
}
