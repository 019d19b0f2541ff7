using EcsNeural.Components;
using EcsNeural.Ecs;
using EcsNeural.Systems.Graph;
using EcsNeural.Systems.Symbolic;
using EcsNeural.Tests.Backprop;

namespace EcsNeural.Tests.Symbolic;

/// <summary>Bad requests get a clear exception naming what was wrong, and add nothing to the graph.</summary>
public class BadInputTests
{
    [Test]
    public void NonScalarOutputIsRejected()
    {
        using var f = new EngineFixture<double>();
        Entity x = f.Builder.Input(2, 3);
        Entity y = f.Builder.Tanh(x);

        var error = Assert.Throws<ArgumentException>(() => SymbolicGradient.Build(f.Builder, y, [x]));

        Assert.That(error!.Message, Does.Contain(y.ToString()).And.Contain("[2×3]").And.Contain("[1×1]"));
    }

    [Test]
    public void VariableOfAnotherGraphIsRejected()
    {
        using var f = new EngineFixture<double>();
        var other = f.Runtime.CreateGraph<double>();
        Entity foreign = new Systems.Graph.GraphBuilder(other).Input(1, 1);
        Entity x = f.Builder.Input(1, 1);
        Entity z = f.Builder.Sum(f.Builder.Exp(x));

        var error = Assert.Throws<ArgumentException>(() => SymbolicGradient.Build(f.Builder, z, [x, foreign]));

        Assert.That(error!.Message, Does.Contain(foreign.ToString()));
    }

    [Test]
    public void HessianVectorProductNeedsOneVectorOfTheVariablesShapeEach()
    {
        using var f = new EngineFixture<double>();
        Entity x = f.Builder.Input(1, 3), wrong = f.Builder.Input(3, 1);
        Entity z = f.Builder.Sum(f.Builder.Exp(x));

        Assert.Throws<ArgumentException>(() => SymbolicGradient.HessianVectorProduct(f.Builder, z, [x], []));
        var error = Assert.Throws<ArgumentException>(() => SymbolicGradient.HessianVectorProduct(f.Builder, z, [x], [wrong]));
        Assert.That(error!.Message, Does.Contain("[3×1]").And.Contain("[1×3]"));
    }

    [Test]
    public void VariablesTheOutputDoesNotDependOnGetZero()
    {
        using var f = new EngineFixture<double>();
        Entity x = f.Builder.Input(1, 2), unused = f.Builder.Input(2, 2);
        Entity z = f.Builder.Sum(f.Builder.Square(x));
        Entity[] g = SymbolicGradient.Build(f.Builder, z, [x, unused]);
        f.Set(x, 1.5, -2);
        f.Set(unused, 1, 2, 3, 4);

        f.Forward();

        Assert.That(f.Value(g[0]), Is.EqualTo(new[] { 3.0, -4 }));
        Assert.That(f.Value(g[1]), Is.EqualTo(new double[4]));
    }

    [Test]
    public void NegativePenaltyWeightIsRejected()
    {
        using var f = new EngineFixture<double>();
        Entity x = f.Builder.Input(1, 2);
        Entity z = f.Builder.Sum(f.Builder.Square(x));

        Assert.Throws<ArgumentOutOfRangeException>(() => SymbolicGradient.GradientPenalty(f.Builder, z, x, -1));
    }

    [Test]
    public void RadialBasisContractionsNameTheIndexTheirOperandsDisagreeOnOrLack()
    {
        using var f = new EngineFixture<double>();
        var nn = f.Builder;
        Entity t = nn.Input(3, 2), x = nn.Input(3, 4), w = nn.Input(5, 2);   // x has 4 inputs, the centres 5

        var mismatch = Assert.Throws<GraphValidationException>(() => nn.RadialBasisDifference(t, RadialBasisOperand.Units, x, w, RadialBasisOperand.Input));
        var unsized = Assert.Throws<GraphValidationException>(() => nn.RadialBasisProduct(t, RadialBasisOperand.Units, t, RadialBasisOperand.Units, RadialBasisOperand.Input));
        var badSign = Assert.Throws<GraphValidationException>(() => nn.Op(new Node(OpCode.RadialBasisProduct, 2, new RadialBasisIndexing(RadialBasisOperand.Input, RadialBasisOperand.Units, RadialBasisOperand.Input).Pack()), t, x));

        Assert.That(mismatch!.Message, Does.Contain("RadialBasisDifference").And.Contain("input (j)").And.Contain("[5×2]"));
        Assert.That(unsized!.Message, Does.Contain("input (j)").And.Contain("extent"));
        Assert.That(badSign!.Message, Does.Contain("sign").And.Contain("2"));
    }
}
