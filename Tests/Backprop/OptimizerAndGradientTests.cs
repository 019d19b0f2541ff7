using EcsNeural.Components;
using EcsNeural.Ecs;
using EcsNeural.Systems.Graph;
using EcsNeural.Systems.Optimizers;
using EcsNeural.Tests.Support;

namespace EcsNeural.Tests.Backprop;

/// <summary>Update rules against hand computation, gradient accumulation, G′ pruning, and zero allocation per step.</summary>
public class OptimizerAndGradientTests
{
    /// <summary>L = Σ w ⊙ c for a fixed c, so ∇w = c whatever w is: each update rule's arithmetic is visible.</summary>
    private static (EngineFixture<double> F, Entity W) LinearObjective(OptimizerOptions optimizer)
    {
        var f = new EngineFixture<double>();
        Entity w = f.Builder.Parameter(1, 2, ParameterInit.Constant(1.0));
        Entity c = f.Builder.Input(1, 2);
        f.Graph.Loss = f.Builder.Sum(f.Builder.Mul(w, c));
        f.Graph.Optimizer = optimizer;
        f.Set(c, 0.5, -2.0);
        return (f, w);
    }

    [Test]
    public void SgdStepsAgainstTheGradient()
    {
        (EngineFixture<double> f, Entity w) = LinearObjective(OptimizerOptions.Sgd(0.1));
        using (f)
        {
            f.Step();
            f.Step();
            Assert.That(f.Value(w), Is.EqualTo(new[] { 1 - 2 * 0.1 * 0.5, 1 + 2 * 0.1 * 2.0 }).Within(1e-15));
        }
    }

    [Test]
    public void MomentumAccumulatesVelocity()
    {
        (EngineFixture<double> f, Entity w) = LinearObjective(OptimizerOptions.Momentum(0.1, 0.9));
        using (f)
        {
            f.Step();
            f.Step();
            // v1 = −ηg, v2 = μv1 − ηg: w = 1 + v1 + v2 = 1 − ηg(2 + μ)
            Assert.That(f.Value(w), Is.EqualTo(new[] { 1 - 0.1 * 0.5 * 2.9, 1 + 0.1 * 2.0 * 2.9 }).Within(1e-15));
        }
    }

    [Test]
    public void AdamFirstStepsMoveByTheLearningRate()
    {
        (EngineFixture<double> f, Entity w) = LinearObjective(OptimizerOptions.Adam(0.01, epsilon: 1e-12));
        using (f)
        {
            f.Step();
            f.Step();
            // With a constant gradient the bias-corrected m̂/√v̂ is sign(g) every step.
            Assert.That(f.Value(w), Is.EqualTo(new[] { 1 - 0.02, 1 + 0.02 }).Within(1e-12));
        }
    }

    [Test]
    public void SwitchingTheRuleStartsItsStateFromZero()
    {
        (EngineFixture<double> f, Entity w) = LinearObjective(OptimizerOptions.Momentum(0.1, 0.9));
        using (f)
        {
            f.Step();
            f.Step();
            double[] before = f.Value(w);
            f.Graph.Optimizer = OptimizerOptions.Adam(0.01, epsilon: 1e-12);
            f.Step();
            // A fresh Adam moves each weight by η against the gradient's sign; a leftover velocity would not.
            Assert.That(f.Value(w), Is.EqualTo(new[] { before[0] - 0.01, before[1] + 0.01 }).Within(1e-12));
            Assert.That(f.Graph.OptimizerSteps(0), Is.EqualTo(1));
        }
    }

    [Test]
    public void AccumulateModeAddsGradientsUntilZeroed()
    {
        using var f = new EngineFixture<double>();
        Entity x = f.Builder.Input(1, 1);
        f.Graph.Loss = f.Builder.Square(x);
        f.Graph.RequestGradients([x]);
        f.Graph.GradientMode = GradientMode.Accumulate;
        f.Set(x, 3.0);

        f.Step();
        f.Step();
        Assert.That(f.Gradient(x)[0], Is.EqualTo(12.0), "two passes of 2x = 6");
        f.Graph.ZeroGradients();
        f.Step();
        Assert.That(f.Gradient(x)[0], Is.EqualTo(6.0));
        f.Graph.GradientMode = GradientMode.ZeroEachStep;
        f.Step();
        f.Step();
        Assert.That(f.Gradient(x)[0], Is.EqualTo(6.0));
    }

    [TestCase(1)]
    [TestCase(20)]
    public void AccumulateModeAddsDenseParameterGradients(int batch)
    {
        using var f = new EngineFixture<double>(seed: 4);
        Entity x = f.Builder.Input(batch, 3);
        DenseLayer layer = f.Builder.DenseLayer(x, 2, ParameterInit.Normal(1), ParameterInit.Normal(1));
        f.Graph.Loss = f.Builder.Sum(f.Builder.Square(layer.Output));
        f.Set(x, [.. Enumerable.Range(0, batch * 3).Select(j => Math.Sin(j))]);
        f.Graph.RequestGradients([layer.Weights, layer.Bias]);
        f.Graph.Optimizer = OptimizerOptions.Sgd(1e-300);   // the parameters stay put, to the last bit

        f.Step();
        double[] once = [.. f.Gradient(layer.Weights), .. f.Gradient(layer.Bias)];
        f.Graph.GradientMode = GradientMode.Accumulate;
        f.Graph.ZeroGradients();
        f.Step();
        f.Step();
        double[] twice = [.. f.Gradient(layer.Weights), .. f.Gradient(layer.Bias)];

        Assert.That(once, Has.Some.Not.EqualTo(0.0));
        Assert.That(twice, Is.EqualTo(once.Select(g => 2 * g)).Within(1e-12));
    }

    [Test]
    public void BackwardVisitsOnlyNodesBetweenTheRequestedVariablesAndTheLoss()
    {
        using var f = new EngineFixture<double>();
        Entity a = f.Builder.Input(1, 1);
        Entity b = f.Builder.Input(1, 1);
        Entity fromA = f.Builder.Exp(a);
        Entity fromB = f.Builder.Sin(b);
        Entity unused = f.Builder.Cos(a);   // not an ancestor of the loss
        Entity loss = f.Builder.Mul(fromA, fromB);
        f.Graph.Loss = loss;
        f.Graph.RequestGradients([a]);
        f.Set(a, 0.3);
        f.Set(b, 1.1);

        f.Step();

        Assert.That(f.Graph.BackwardOrder, Is.EqualTo(new[] { loss, fromA }));
        Assert.That(f.Graph.ForwardOrder, Does.Contain(unused).And.Contain(fromB));
        Assert.That(f.Gradient(a)[0], Is.EqualTo(Math.Exp(0.3) * Math.Sin(1.1)).Within(1e-15));
    }

    [Test]
    public void TopologicalOrderIsComputedOnceAndKeptUntilTheGraphChanges()
    {
        using var f = new EngineFixture<double>();
        Entity x = f.Builder.Input(1, 2);
        f.Graph.Loss = f.Builder.Sum(f.Builder.Tanh(x));
        f.Graph.RequestGradients([x]);
        f.Step();
        IReadOnlyList<Entity> order = f.Graph.ForwardOrder;

        f.Step();
        f.Step();
        Assert.That(f.Graph.ForwardOrder, Is.SameAs(order), "no recompilation while nothing changes");

        Entity extra = f.Builder.Exp(x);
        f.Step();
        Assert.That(f.Graph.ForwardOrder, Is.Not.SameAs(order));
        Assert.That(f.Graph.ForwardOrder, Does.Contain(extra));
    }

    [Slow]
    [Test]
    public void TrainingStepAllocatesNothingAfterWarmUp()
    {
        using var f = new EngineFixture<float>(instances: 70, workers: 1);
        Entity x = f.Builder.Input(4, 6);
        Entity t = f.Builder.Input(4, 3);
        DenseLayer hidden = f.Builder.DenseLayer(x, 16, ParameterInit.He, ParameterInit.Constant(0.1));
        DenseLayer output = f.Builder.DenseLayer(f.Builder.Relu(hidden.Output), 3);
        f.Graph.Loss = f.Builder.SoftmaxCrossEntropyLoss(output.Output, t);
        f.Graph.Optimizer = OptimizerOptions.Adam(0.001);
        Assert.That(Allocations.AfterWarmUp(f.Step, steps: 100), Is.Zero);
    }
}
