using EcsNeural.Components;
using EcsNeural.Ecs;
using EcsNeural.Systems.Graph;
using EcsNeural.Systems.Optimizers;

namespace EcsNeural.Tests.Backprop;

/// <summary>The lecture's own worked examples, run through the ECS graph, systems and jobs.</summary>
public class LectureExamplesTests
{
    private static readonly double[] XorInputs = [0, 0, 0, 1, 1, 0, 1, 1];
    private static readonly double[] XorTargets = [0, 1, 1, 0];

    [Test]
    public void HandSetReluNetworkSolvesXorExactly()
    {
        using var f = new EngineFixture<double>();
        Entity x = f.Builder.Input(4, 2);
        Entity w = f.Builder.Parameter(2, 2, ParameterInit.Zeros);
        Entity c = f.Builder.Parameter(1, 2, ParameterInit.Zeros);
        Entity v = f.Builder.Parameter(2, 1, ParameterInit.Zeros);
        Entity b = f.Builder.Parameter(1, 1, ParameterInit.Zeros);
        Entity h = f.Builder.Relu(f.Builder.Dense(x, w, c));
        Entity y = f.Builder.Dense(h, v, b);
        f.Set(w, 1, 1, 1, 1);
        f.Set(c, 0, -1);
        f.Set(v, 1, -2);
        f.Set(b, 0);
        f.Set(x, XorInputs);

        f.Forward();

        Assert.That(f.Value(y), Is.EqualTo(new double[] { 0, 1, 1, 0 }));
        double[] hidden = f.Value(h);
        Assert.That(hidden[2..4], Is.EqualTo(new double[] { 1, 0 }), "hidden layer at x = [0,1]");
        Assert.That(hidden[4..6], Is.EqualTo(new double[] { 1, 0 }), "hidden layer at x = [1,0]");
    }

    [Test]
    public void LinearModelOnXorConvergesToZeroWeightsAndHalfBias()
    {
        using var f = new EngineFixture<double>(seed: 3);
        Entity x = f.Builder.Input(4, 2);
        Entity t = f.Builder.Input(4, 1);
        DenseLayer linear = f.Builder.DenseLayer(x, 1, ParameterInit.Normal(0.5), ParameterInit.Normal(0.5));
        f.Graph.Loss = f.Builder.MseLoss(linear.Output, t);
        f.Graph.Optimizer = OptimizerOptions.Sgd(0.5);
        f.Set(x, XorInputs);
        f.Set(t, XorTargets);

        for (int step = 0; step < 400; step++)
            f.Step();

        Assert.That(f.Value(linear.Weights), Is.EqualTo(new double[] { 0, 0 }).Within(1e-9));
        Assert.That(f.Value(linear.Bias)[0], Is.EqualTo(0.5).Within(1e-9));
        Assert.That(f.Value(f.Graph.Loss)[0], Is.EqualTo(0.25).Within(1e-9), "the lecture's J = 1/4 at w = 0, b = 1/2");
    }

    [Test]
    public void MlpLearnsXorBySgdWithTheSameBitsOnEveryRun()
    {
        (float loss, float[] parameters) first = TrainXorMlp();
        (float loss, float[] parameters) second = TrainXorMlp();

        Assert.That(first.loss, Is.LessThan(0.01f));
        Assert.That(second.parameters.Select(BitConverter.SingleToInt32Bits), Is.EqualTo(first.parameters.Select(BitConverter.SingleToInt32Bits)));
    }

    private static (float Loss, float[] Parameters) TrainXorMlp()
    {
        using var f = new EngineFixture<float>(seed: 7);
        Entity x = f.Builder.Input(4, 2);
        Entity t = f.Builder.Input(4, 1);
        DenseLayer hidden = f.Builder.DenseLayer(x, 8, ParameterInit.He, ParameterInit.Constant(0.1));
        DenseLayer output = f.Builder.DenseLayer(f.Builder.Relu(hidden.Output), 1);
        f.Graph.Loss = f.Builder.MseLoss(output.Output, t);
        f.Graph.Optimizer = OptimizerOptions.Sgd(0.1);
        f.Set(x, XorInputs.Select(v => (float)v).ToArray());
        f.Set(t, XorTargets.Select(v => (float)v).ToArray());
        for (int step = 0; step < 2000; step++)
            f.Step();
        f.Forward();
        float[] parameters = [.. f.Value(hidden.Weights), .. f.Value(hidden.Bias), .. f.Value(output.Weights), .. f.Value(output.Bias)];
        return (f.Value(f.Graph.Loss)[0], parameters);
    }

    [Test]
    public void ProductOfSumsHasTheLecturesValueAndGradients()
    {
        using var f = new EngineFixture<double>();
        Entity a = f.Builder.Input(1, 1);
        Entity b = f.Builder.Input(1, 1);
        Entity e = f.Builder.Mul(f.Builder.Add(a, b), f.Builder.AddScalar(b, 1));
        f.Graph.Loss = e;
        f.Graph.RequestGradients([a, b]);
        f.Set(a, 2.0);
        f.Set(b, 1.0);

        f.Step();

        Assert.That(f.Value(e)[0], Is.EqualTo(6.0));
        Assert.That(f.Gradient(a)[0], Is.EqualTo(2.0), "∂e/∂a = b + 1");
        Assert.That(f.Gradient(b)[0], Is.EqualTo(5.0), "∂e/∂b = (b + 1) + (a + b): b has two consumers, their sum");
    }

    [Test]
    public void ChainRuleThroughExpOfSinOfSquare()
    {
        double[] points = [-1.3, -0.4, 0.2, 0.9, 1.7];
        using var f = new EngineFixture<double>();
        Entity x = f.Builder.Input(1, points.Length);
        Entity y = f.Builder.Exp(f.Builder.Sin(f.Builder.Square(x)));
        f.Graph.Loss = f.Builder.Sum(y);
        f.Graph.RequestGradients([x]);
        f.Set(x, points);

        f.Step();

        double[] expected = points.Select(p => Math.Exp(Math.Sin(p * p)) * Math.Cos(p * p) * 2 * p).ToArray();
        Assert.That(f.Value(y), Is.EqualTo(points.Select(p => Math.Exp(Math.Sin(p * p)))).Within(1e-14));
        Assert.That(f.Gradient(x), Is.EqualTo(expected).Within(1e-13));
    }

    [Test]
    public void RepeatedSubexpressionIsComputedOnceAndGradientIsTheProductOfLocalDerivatives()
    {
        // z = f(f(f(w))) with f = exp: x = f(w), y = f(x), z = f(y).
        using var f = new EngineFixture<double>();
        Entity w = f.Builder.Input(1, 1);
        Entity x = f.Builder.Exp(w);
        Entity y = f.Builder.Exp(x);
        Entity z = f.Builder.Exp(y);
        f.Graph.Loss = z;
        f.Graph.RequestGradients([w]);
        f.Set(w, -0.7);

        f.Step();

        Assert.That(f.Graph.ForwardOrder, Is.EqualTo(new[] { x, y, z }), "each intermediate evaluated once, in order");
        Assert.That(f.Graph.BackwardOrder, Is.EqualTo(new[] { z, y, x }), "each local bprop applied once");
        double xv = Math.Exp(-0.7), yv = Math.Exp(xv);
        Assert.That(f.Value(x)[0], Is.EqualTo(xv));
        Assert.That(f.Value(y)[0], Is.EqualTo(yv));
        // f'(y)·f'(x)·f'(w) with f' = exp, using the stored x and y rather than recomputing them.
        Assert.That(f.Gradient(w)[0], Is.EqualTo(Math.Exp(yv) * Math.Exp(xv) * Math.Exp(-0.7)).Within(1e-12));
    }

    [Test]
    public void SoftmaxCrossEntropyGradientIsPredictionMinusTarget()
    {
        double[] logits = [0.3, -1.2, 2.0, 0.7];
        double[] target = [0, 0, 1, 0];
        using var f = new EngineFixture<double>();
        Entity z = f.Builder.Input(1, 4);
        Entity y = f.Builder.Input(1, 4);
        f.Graph.Loss = f.Builder.SoftmaxCrossEntropyLoss(z, y);
        f.Graph.RequestGradients([z]);
        f.Set(z, logits);
        f.Set(y, target);

        f.Step();

        double norm = logits.Sum(Math.Exp);
        double[] expected = logits.Select((v, j) => Math.Exp(v) / norm - target[j]).ToArray();
        Assert.That(f.Gradient(z), Is.EqualTo(expected).Within(1e-15));
        Assert.That(f.Value(f.Graph.Loss)[0], Is.EqualTo(-Math.Log(Math.Exp(2.0) / norm)).Within(1e-14));
    }

    [Test]
    public void SoftmaxOfHugeLogitsStaysFiniteAndCorrect()
    {
        using var f = new EngineFixture<float>();
        Entity z = f.Builder.Input(1, 3);
        Entity y = f.Builder.Input(1, 3);
        Entity probabilities = f.Builder.Softmax(z);
        f.Graph.Loss = f.Builder.SoftmaxCrossEntropyLoss(z, y);
        f.Graph.RequestGradients([z]);
        f.Set(z, 1000f, 0f, -1000f);
        f.Set(y, 0f, 1f, 0f);

        f.Step();

        Assert.That(f.Value(probabilities), Is.EqualTo(new float[] { 1, 0, 0 }));
        Assert.That(f.Value(f.Graph.Loss)[0], Is.EqualTo(1000f), "−log softmax(z)₁ = 1000, finite");
        Assert.That(f.Gradient(z), Is.EqualTo(new float[] { 1, -1, 0 }), "ŷ − y");
    }

    [Test]
    public void BinaryCrossEntropyIsTheSoftplusFormAndDoesNotSaturateWhenWrong()
    {
        double[] logits = [-30, -2.5, -0.3, 0.4, 3.0, 30];
        double[] labels = [1, 0, 1, 0, 1, 0];
        using var f = new EngineFixture<double>();
        Entity z = f.Builder.Input(1, logits.Length);
        Entity y = f.Builder.Input(1, logits.Length);
        f.Graph.Loss = f.Builder.SigmoidCrossEntropyLoss(z, y);
        f.Graph.RequestGradients([z]);
        f.Set(z, logits);
        f.Set(y, labels);

        f.Step();

        // −log σ((2y−1)z), written with log1p so the reference itself is accurate for |z| = 30.
        double expected = logits.Select((v, j) => Math.Log(1 + Math.Exp(-(2 * labels[j] - 1) * v))).Average();
        Assert.That(f.Value(f.Graph.Loss)[0], Is.EqualTo(expected).Within(1e-12));
        double[] gradient = f.Gradient(z);
        // z = −30 with y = 1 and z = 30 with y = 0 are badly wrong: the gradient stays ≈ ∓1/n instead of vanishing.
        Assert.That(gradient[0] * logits.Length, Is.EqualTo(-1).Within(1e-12));
        Assert.That(gradient[5] * logits.Length, Is.EqualTo(1).Within(1e-12));
    }
}
