using EcsNeural.Components;
using EcsNeural.Ecs;
using EcsNeural.Systems.Graph;
using EcsNeural.Systems.Ops;
using EcsNeural.Systems.Optimizers;

namespace EcsNeural.Tests.Backprop;

/// <summary>Bad input gets a clear exception naming what and where, and the world stays usable afterwards.</summary>
public class BadInputTests
{
    [Test]
    public void MismatchedShapesAreRejectedNamingTheOperationAndShapes()
    {
        using var f = new EngineFixture<float>();
        Entity x = f.Builder.Input(4, 2);
        Entity w = f.Builder.Parameter(3, 5, ParameterInit.Xavier);
        Entity b = f.Builder.Parameter(1, 5, ParameterInit.Zeros);
        int entitiesBefore = f.World.Size;

        var ex = Assert.Throws<GraphValidationException>(() => f.Builder.Dense(x, w, b))!;

        Assert.That(ex.Op, Is.EqualTo(OpCode.Dense));
        Assert.That(ex.Message, Does.Contain("Dense").And.Contain("[3×5]").And.Contain("[4×2]"));
        Assert.That(f.World.Size, Is.EqualTo(entitiesBefore), "the rejected node is not left behind");
        // Still usable: the right weights build and run.
        Entity w2 = f.Builder.Parameter(2, 5, ParameterInit.Xavier);
        Entity y = f.Builder.Dense(x, w2, b);
        f.Forward();
        Assert.That(f.Value(y), Has.Length.EqualTo(20));
    }

    [Test]
    public void ShapeChangedBehindTheBuildersBackIsCaughtAtCompileNamingTheNode()
    {
        using var f = new EngineFixture<float>();
        Entity a = f.Builder.Input(2, 3);
        Entity c = f.Builder.Input(2, 3);
        Entity sum = f.Builder.Add(a, c);
        f.Forward();
        f.World.Set(c, new NodeShape(2, 4));
        f.Graph.Invalidate();

        var ex = Assert.Throws<GraphValidationException>(f.Step)!;

        Assert.That(ex.Node, Is.EqualTo(sum));
        Assert.That(ex.Op, Is.EqualTo(OpCode.Add));
        Assert.That(ex.Message, Does.Contain("[2×4]").And.Contain("[2×3]"));
        f.World.Set(c, new NodeShape(2, 3));
        f.Graph.Invalidate();
        f.Step();
        Assert.That(f.Graph.IsCompiled, Is.True);
    }

    [Test]
    public void CycleIsRejectedNamingANodeOnIt()
    {
        using var f = new EngineFixture<double>();
        Entity x = f.Builder.Input(1, 1);
        Entity first = f.Builder.Exp(x);
        Entity second = f.Builder.Sin(first);
        Entity third = f.Builder.Cos(second);
        f.World.Set(first, NodeInputs.Of([third]));   // first ← third ← second ← first
        f.Graph.Invalidate();

        var ex = Assert.Throws<GraphValidationException>(f.Graph.Compile)!;

        Assert.That(new[] { first, second, third }, Does.Contain(ex.Node));
        Assert.That(ex.Message, Does.Contain("cycle"));
        f.World.Set(first, NodeInputs.Of([x]));
        f.Graph.Invalidate();
        f.Set(x, 0.5);
        f.Forward();
        Assert.That(f.Value(third)[0], Is.EqualTo(Math.Cos(Math.Sin(Math.Exp(0.5)))).Within(4).Ulps);   // our exp/sin/cos, each within 1 ulp
    }

    [Test]
    public void NaNInAnInputIsReportedWithTheInputNodeAndInstanceThenTrainingResumes()
    {
        using var f = new EngineFixture<float>(instances: 3);
        Entity x = f.Builder.Input(1, 2);
        Entity t = f.Builder.Input(1, 1);
        DenseLayer layer = f.Builder.DenseLayer(x, 1);
        f.Graph.Loss = f.Builder.MseLoss(layer.Output, t);
        f.SetInstance(x, 2, 1f, float.NaN);

        var ex = Assert.Throws<NonFiniteValueException>(f.Step)!;

        Assert.That((ex.Node, ex.Op, ex.Instance, ex.InGradient), Is.EqualTo((x, OpCode.Input, 2, false)));
        f.SetInstance(x, 2, 1f, 2f);
        f.Step();
        f.Step();
        Assert.That(float.IsFinite(f.Value(f.Graph.Loss, 2)[0]), Is.True);
    }

    [Test]
    public void NaNProducedByAnOperationNamesThatOperation()
    {
        using var f = new EngineFixture<double>();
        Entity x = f.Builder.Input(1, 2);
        Entity log = f.Builder.Log(x);
        f.Graph.Loss = f.Builder.Sum(log);
        f.Graph.RequestGradients([x]);
        f.Set(x, 1.0, -1.0);

        var ex = Assert.Throws<NonFiniteValueException>(f.Step)!;

        Assert.That((ex.Node, ex.Op, ex.InGradient), Is.EqualTo((log, OpCode.Log, false)));
        f.Set(x, 1.0, 2.0);
        f.Step();
        Assert.That(f.Gradient(x), Is.EqualTo(new[] { 1.0, 0.5 }));
    }

    private static IEnumerable<OpCode> OpsFiniteForFiniteInputs()
        => Operations.All.Where(d => d.FiniteForFiniteInputs).Select(d => d.Op);

    /// <summary>
    /// A checked forward pass skips the scan of an op declared finite for finite inputs; the claim holds at the extremes of
    /// both element types (the largest and smallest magnitudes, either sign, zeros).
    /// </summary>
    [TestCaseSource(nameof(OpsFiniteForFiniteInputs))]
    public void AnOpDeclaredFiniteForFiniteInputsGivesFiniteValuesAtTheExtremes(OpCode op)
    {
        Assert.That(Operations.Of(op).Arity, Is.EqualTo(1), "the check below feeds one input");
        AssertFiniteAtExtremes<float>(op, [float.MaxValue, -float.MaxValue, 1e30f, -1e30f, 88.8f, -88.8f, 1e-45f, -1e-45f, 0f, -0f, 1f, -1f]);
        AssertFiniteAtExtremes<double>(op, [double.MaxValue, -double.MaxValue, 1e300, -1e300, 710, -710, 5e-324, -5e-324, 0, -0.0, 1, -1]);
    }

    private static void AssertFiniteAtExtremes<T>(OpCode op, T[] extremes) where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        using var f = new EngineFixture<T>();
        Entity x = f.Builder.Input(1, extremes.Length);
        Entity y = f.Builder.Op(new Node(op), x);
        f.Set(x, extremes);
        f.Forward();
        Assert.That(f.Value(y).All(T.IsFinite), Is.True, $"{typeof(T).Name} {op}: {string.Join(", ", f.Value(y))}");
    }

    [Test]
    public void InfiniteGradientIsReportedAsAGradient()
    {
        using var f = new EngineFixture<double>();
        Entity x = f.Builder.Input(1, 1);
        f.Graph.Loss = f.Builder.Sum(f.Builder.Log(x));
        f.Graph.RequestGradients([x]);
        f.Set(x, 1e-320);   // log x ≈ −737 is finite, but 1/x overflows

        var ex = Assert.Throws<NonFiniteValueException>(f.Step)!;

        Assert.That((ex.Node, ex.InGradient), Is.EqualTo((x, true)));
    }

    [TestCase(0.0)]
    [TestCase(-0.1)]
    [TestCase(double.NaN)]
    [TestCase(double.PositiveInfinity)]
    public void LearningRateMustBePositiveAndFinite(double learningRate)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => OptimizerOptions.Sgd(learningRate));
        Assert.Throws<ArgumentOutOfRangeException>(() => OptimizerOptions.Momentum(learningRate));
        Assert.Throws<ArgumentOutOfRangeException>(() => OptimizerOptions.Adam(learningRate));
    }

    [Test]
    public void EmptyBatchIsRejected()
    {
        using var f = new EngineFixture<float>();
        Assert.Throws<ArgumentOutOfRangeException>(() => f.Builder.Input(0, 3));
        Entity x = f.Builder.Input(2, 3);
        Assert.Throws<ArgumentOutOfRangeException>(() => f.Builder.ResizeBatch(0, x));
        Entity y = f.Builder.Relu(x);
        f.Builder.ResizeBatch(5, x);
        Assert.That(f.Graph.ShapeOf(y), Is.EqualTo(new NodeShape(5, 3)));
    }

    [Test]
    public void WrongInputLengthAndUnknownInstanceAreRejected()
    {
        using var f = new EngineFixture<float>(instances: 2);
        Entity x = f.Builder.Input(2, 3);
        Assert.Throws<ArgumentException>(() => f.Graph.SetValues(x, 0, new float[5]));
        Assert.Throws<ArgumentOutOfRangeException>(() => f.Graph.Values(x, 2));
    }

    [Test]
    public void LossMustBeAScalar()
    {
        using var f = new EngineFixture<float>();
        Entity x = f.Builder.Input(2, 3);
        f.Graph.Loss = f.Builder.Relu(x);
        Assert.Throws<GraphValidationException>(f.Graph.Compile);
        f.Graph.Loss = f.Builder.Mean(f.Graph.Loss);
        Assert.DoesNotThrow(f.Step);
    }
}
