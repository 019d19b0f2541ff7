using EcsNeural.Components;
using EcsNeural.Ecs;
using EcsNeural.Systems.Symbolic;
using EcsNeural.Tests.Backprop;

namespace EcsNeural.Tests.Symbolic;

/// <summary>
/// Rectifiers and maxout are not twice differentiable: their gradients multiply by (or route through) a piecewise-constant
/// mask. Asking for a derivative through one fails by default, naming the mask node and the operation whose gradient
/// made it, and leaves the graph as it was; <see cref="PiecewiseDerivative.ZeroAlmostEverywhere"/> takes it as 0.
/// </summary>
public class PiecewiseDerivativeTests
{
    [Test]
    public void SecondDerivativeOfReluFailsNamingTheMaskAndTheRelu()
    {
        using var f = new EngineFixture<double>();
        Entity x = f.Builder.Input(1, 3);
        Entity relu = f.Builder.Relu(f.Builder.Square(x));
        Entity first = SymbolicGradient.Build(f.Builder, f.Builder.Sum(relu), [x])[0];   // first order is fine
        Entity dot = f.Builder.Sum(first);
        f.Graph.Compile();
        int nodesBefore = f.Graph.ForwardOrder.Count;

        var error = Assert.Throws<NotTwiceDifferentiableException>(() => SymbolicGradient.Build(f.Builder, dot, [x]));

        Assert.That(error!.Op, Is.EqualTo(OpCode.Step));
        Assert.That(error.Origin, Is.EqualTo(new GradientOrigin(relu, OpCode.Relu)));
        Assert.That(error.Message, Does.Contain($"Step node {error.Node}").And.Contain($"Relu node {relu}").And.Contain("not twice differentiable")
            .And.Contain(nameof(PiecewiseDerivative.ZeroAlmostEverywhere)));
        f.Graph.Compile();
        Assert.That(f.Graph.ForwardOrder.Count, Is.EqualTo(nodesBefore), "the failed request added no nodes");
        f.Set(x, -1, 0.5, 2);
        f.Forward();
        Assert.That(f.Value(first), Is.EqualTo(new[] { 2.0 * -1, 2 * 0.5, 2 * 2 }), "the graph still runs");
    }

    [Test]
    public void SecondDerivativeOfMaxoutFailsNamingTheRouting()
    {
        using var f = new EngineFixture<double>();
        Entity x = f.Builder.Input(1, 4);
        Entity maxout = f.Builder.Maxout(f.Builder.Sin(x), 2);
        Entity first = SymbolicGradient.Build(f.Builder, f.Builder.Sum(maxout), [x])[0];

        var error = Assert.Throws<NotTwiceDifferentiableException>(() => SymbolicGradient.Build(f.Builder, f.Builder.Sum(first), [x]));

        Assert.That(error!.Op, Is.EqualTo(OpCode.MaxoutScatter));
        Assert.That(error.Origin, Is.EqualTo(new GradientOrigin(maxout, OpCode.Maxout)));
    }

    [Test]
    public void RefusedHessianVectorProductAddsNothing()
    {
        using var f = new EngineFixture<double>();
        Entity x = f.Builder.Input(1, 3), v = f.Builder.Input(1, 3);
        Entity z = f.Builder.Sum(f.Builder.AbsRelu(f.Builder.Sin(x)));
        f.Graph.Compile();
        int nodesBefore = f.Graph.ForwardOrder.Count;

        var error = Assert.Throws<NotTwiceDifferentiableException>(() => SymbolicGradient.HessianVectorProduct(f.Builder, z, [x], [v]));

        Assert.That(error!.Op, Is.EqualTo(OpCode.Sign));
        f.Graph.Compile();
        Assert.That(f.Graph.ForwardOrder.Count, Is.EqualTo(nodesBefore), "neither the gradient nor the second derivative stayed");
    }

    [Test]
    public void ZeroAlmostEverywhereTakesTheRectifiersSecondDerivativeAsZero()
    {
        // z = Σ relu(x)·x: ∂z/∂x = relu'(x)·x + relu(x) = 2x for x > 0, 0 below; ∂²z/∂x² = 2 and 0 (the Dirac at 0 dropped).
        using var f = new EngineFixture<double>();
        Entity x = f.Builder.Input(1, 4);
        Entity z = f.Builder.Sum(f.Builder.Mul(f.Builder.Relu(x), x));
        Entity first = SymbolicGradient.Build(f.Builder, z, [x], PiecewiseDerivative.ZeroAlmostEverywhere)[0];
        Entity second = SymbolicGradient.Build(f.Builder, f.Builder.Sum(first), [x], PiecewiseDerivative.ZeroAlmostEverywhere)[0];
        f.Set(x, -1.5, -0.2, 0.3, 2);

        f.Forward();

        Assert.That(f.Value(first), Is.EqualTo(new[] { 0, 0, 0.6, 4 }));
        Assert.That(f.Value(second), Is.EqualTo(new[] { 0, 0, 2.0, 2 }));
    }

    [Test]
    public void OperationsSayWhetherTheyAreTwiceDifferentiable()
    {
        OpCode[] notTwice = [OpCode.Relu, OpCode.LeakyRelu, OpCode.PRelu, OpCode.AbsRelu, OpCode.HardTanh, OpCode.Maxout,
            OpCode.Step, OpCode.Sign, OpCode.MaxoutScatter, OpCode.MaxoutGather];
        foreach (OpCode op in Enum.GetValues<OpCode>())
            Assert.That(SymbolicGradient.IsTwiceDifferentiable(op), Is.EqualTo(!notTwice.Contains(op)), op.ToString());
    }
}
