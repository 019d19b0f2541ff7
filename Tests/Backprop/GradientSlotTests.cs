using EcsNeural.Components;
using EcsNeural.Ecs;
using EcsNeural.Systems.Graph;
using EcsNeural.Systems.Optimizers;
using EcsNeural.Systems.Symbolic;

namespace EcsNeural.Tests.Backprop;

/// <summary>
/// Only the nodes the backward pass differentiates — G′ (on a path from a requested variable to the loss) and the
/// requested variables — get a gradient slot: inputs, targets and forward-only branches hold none, the arena shrinks by
/// exactly their regions, reading their gradient says how to request it, and training is unchanged by them.
/// </summary>
public class GradientSlotTests
{
    /// <summary>Elements of one region: every region is padded to 16 elements (one instance here).</summary>
    private const int Region = 16;

    /// <summary>x [4×2], y [4×1], W [2×1], b [1×1], z = x·W + b, loss = MSE(z, y), and side = tanh(x) that the loss ignores.</summary>
    private sealed class LinearModel : IDisposable
    {
        public LinearModel(GradientMode mode = GradientMode.ZeroEachStep)
        {
            var nn = F.Builder;
            X = nn.Input(4, 2);
            Y = nn.Input(4, 1);
            W = nn.Parameter(2, 1, ParameterInit.Constant(0.5));
            B = nn.Parameter(1, 1, ParameterInit.Constant(-0.25));
            Z = nn.Dense(X, W, B);
            Loss = nn.MseLoss(Z, Y);
            Side = nn.Tanh(X);
            F.Graph.Loss = Loss;
            F.Graph.GradientMode = mode;
            F.Set(X, 1, 2, -1, 0.5, 0.25, -2, 3, 1);
            F.Set(Y, 0.5, -1, 2, 0.75);
        }

        public EngineFixture<double> F { get; } = new();
        public Entity X { get; }
        public Entity Y { get; }
        public Entity W { get; }
        public Entity B { get; }
        public Entity Z { get; }
        public Entity Loss { get; }
        public Entity Side { get; }

        public void Dispose() => F.Dispose();
    }

    [Test]
    public void OnlyNodesOfGPrimeHaveAGradientSlot()
    {
        using var m = new LinearModel();

        // 7 values; gradients for W, b, z and the loss only (SGD keeps no optimizer state); 8-byte elements.
        Assert.That(m.F.Graph.ArenaBytes, Is.EqualTo((7 + 4) * Region * sizeof(double)));
        foreach (Entity e in new[] { m.X, m.Y, m.Side })
            Assert.That(m.F.World.Get<GradientSlot>(e).Offset, Is.EqualTo(-1), $"{e} is outside G′");
        foreach (Entity e in new[] { m.W, m.B, m.Z, m.Loss })
            Assert.That(m.F.World.Get<GradientSlot>(e).Offset, Is.GreaterThanOrEqualTo(0), $"{e} is in G′");
    }

    [Test]
    public void ReadingTheGradientOfANodeWithoutASlotSaysHowToRequestIt()
    {
        using var m = new LinearModel();
        m.F.Step();

        foreach (Entity e in new[] { m.X, m.Side })
        {
            var ex = Assert.Throws<InvalidOperationException>(() => m.F.Graph.Gradients(e, 0).ToArray());
            Assert.That(ex!.Message, Does.Contain(e.ToString()).And.Contain("RequestGradients"));
            Assert.Throws<InvalidOperationException>(() => m.F.Graph.AllGradients(e).ToArray());
        }
        Assert.That(m.F.Gradient(m.W).All(double.IsFinite), Is.True, "the parameters' gradients are there");
    }

    [Test]
    public void ARequestedInputGetsASlotAndItsGradient()
    {
        using var m = new LinearModel();
        m.F.Graph.RequestGradients([m.W, m.B, m.X]);
        m.F.Step();

        // ∂/∂x_sj of mean_s (z_s − y_s)² = 2/4 · (z_s − y_s) · W_j, with z and W before the SGD step.
        double[] x = m.F.Value(m.X), y = [0.5, -1, 2, 0.75], w = [0.5, 0.5];
        double[] gx = m.F.Gradient(m.X);
        for (int s = 0; s < 4; s++)
        {
            double z = x[2 * s] * w[0] + x[2 * s + 1] * w[1] - 0.25;
            for (int j = 0; j < 2; j++)
                Assert.That(gx[2 * s + j], Is.EqualTo(0.5 * (z - y[s]) * w[j]).Within(1e-15), $"sample {s}, feature {j}");
        }
        Assert.That(m.F.Graph.ArenaBytes, Is.EqualTo((7 + 5) * Region * sizeof(double)), "x's gradient slot is added");
    }

    [Test]
    public void ARequestedVariableTheLossDoesNotReadHasAZeroGradient()
    {
        using var m = new LinearModel();
        m.F.Graph.RequestGradients([m.W, m.B, m.Side]);
        m.F.Step();
        m.F.Step();

        Assert.That(m.F.Gradient(m.Side), Is.All.EqualTo(0.0));
    }

    [Test]
    public void ARequestedIntermediateWhoseInputsAreOutsideGPrimePassesNothingBack()
    {
        using var m = new LinearModel();
        Entity square = m.F.Builder.Square(m.Side);
        m.F.Graph.Loss = m.F.Builder.Sum(square);
        m.F.Graph.RequestGradients([m.Side]);   // tanh(x)'s input x has no slot: its unary backward must not run
        m.F.Step();

        double[] x = m.F.Value(m.X), gradient = m.F.Gradient(m.Side);
        for (int k = 0; k < x.Length; k++)
            Assert.That(gradient[k], Is.EqualTo(2 * Math.Tanh(x[k])).Within(1e-15), $"element {k}");
        Assert.That(m.F.Graph.BackwardOrder, Is.EqualTo(new[] { m.F.Graph.Loss, square }));
    }

    [Test]
    public void BlockLocalScratchHoldsOnlyTheDifferentiatedNodes()
    {
        using var m = new LinearModel(GradientMode.BlockLocal);
        m.F.Step();

        Assert.That(m.F.Graph.ArenaBytes, Is.EqualTo(7 * Region * sizeof(double)), "values only: gradients are block-local");
        // W, b, z, loss: 2 + 1 + 4 + 1 elements per instance, for a block of 64 instances (a multiple of 16: no padding).
        Assert.That(m.F.Graph.BlockSize, Is.EqualTo(64));
        Assert.That(m.F.Graph.BlockGradientBytes, Is.EqualTo((2 + 1 + 4 + 1) * 64 * sizeof(double)));
        Assert.Throws<InvalidOperationException>(() => m.F.Graph.Gradients(m.X, 0).ToArray());
    }

    [Test]
    public void SymbolicGradientNodesEvaluatedForwardOnlyTakeNoGradientSlots()
    {
        using var m = new LinearModel();
        m.F.Graph.Loss = Entity.Null;   // a graph run forward only, for its symbolic gradient
        GraphMark mark = m.F.Graph.Mark();
        Entity[] gradient = SymbolicGradient.Build(m.F.Builder, m.Loss, [m.W, m.B]);
        Entity[] added = m.F.Graph.NodesAddedSince(mark);
        m.F.Forward();

        // Every region here holds ≤ 16 elements: one value per node, and gradients only for the trainable W and b.
        Assert.That(m.F.Graph.ArenaBytes, Is.EqualTo((7 + added.Length + 2) * Region * sizeof(double)));
        Assert.That(added, Is.Not.Empty.And.Contains(gradient[0]).And.Contains(gradient[1]));
        foreach (Entity e in added)
            Assert.That(m.F.World.Get<GradientSlot>(e).Offset, Is.EqualTo(-1), $"{e} is evaluated forward only");
        double[] x = m.F.Value(m.X);
        double db = 0;   // ∂loss/∂b = 2/4 Σ_s (z_s − y_s)
        double[] y = [0.5, -1, 2, 0.75];
        for (int s = 0; s < 4; s++)
            db += 0.5 * (0.5 * x[2 * s] + 0.5 * x[2 * s + 1] - 0.25 - y[s]);
        Assert.That(m.F.Value(gradient[1])[0], Is.EqualTo(db).Within(1e-14));
    }

    [TestCase(GradientMode.ZeroEachStep)]
    [TestCase(GradientMode.Accumulate)]
    [TestCase(GradientMode.BlockLocal)]
    public void ForwardOnlyNodesLeaveTrainingUnchanged(GradientMode mode)
    {
        using var plain = new LinearModel(mode);
        using var branched = new LinearModel(mode);
        var nn = branched.F.Builder;
        Entity extra = nn.Sum(nn.Square(nn.Tanh(branched.Side)));   // read every step, never differentiated
        SymbolicGradient.Build(nn, branched.Loss, [branched.W, branched.B]);
        foreach (LinearModel m in new[] { plain, branched })
            m.F.Graph.Optimizer = OptimizerOptions.Adam(0.05);

        for (int step = 0; step < 4; step++)
        {
            plain.F.Step();
            branched.F.Step();
        }

        Assert.That(branched.F.Value(branched.W), Is.EqualTo(plain.F.Value(plain.W)));
        Assert.That(branched.F.Value(branched.B), Is.EqualTo(plain.F.Value(plain.B)));
        Assert.That(branched.F.Value(branched.Loss), Is.EqualTo(plain.F.Value(plain.Loss)));
        Assert.That(branched.F.Graph.OptimizerState(branched.W, 0, 1).ToArray(), Is.EqualTo(plain.F.Graph.OptimizerState(plain.W, 0, 1).ToArray()));
        if (mode != GradientMode.BlockLocal)
            Assert.That(branched.F.Gradient(branched.W), Is.EqualTo(plain.F.Gradient(plain.W)));
        Assert.That(branched.F.Value(extra)[0], Is.GreaterThan(0.0), "the branch was evaluated");
    }
}
