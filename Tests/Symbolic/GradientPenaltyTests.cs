using EcsNeural.Components;
using EcsNeural.Ecs;
using EcsNeural.Systems.Graph;
using EcsNeural.Systems.Optimizers;
using EcsNeural.Systems.Symbolic;
using EcsNeural.Tests.Backprop;
using EcsNeural.Tests.Support;

namespace EcsNeural.Tests.Symbolic;

/// <summary>
/// loss + λ‖∇ₓ loss‖² as one graph, trained by the engine's backward and optimizer systems: the numeric backward pass
/// differentiates the symbolic gradient's nodes (a second derivative), and the penalty goes down.
/// </summary>
public class GradientPenaltyTests
{
    [Test]
    public void TrainingWithAGradientPenaltyLowersThePenalty()
    {
        (double before, double after, double loss) = Train(lambda: 1.0);
        (_, double unpenalised, _) = Train(lambda: 0.0);

        TestContext.Out.WriteLine($"penalty {before:G4} → {after:G4} with λ = 1 (λ = 0 ends at {unpenalised:G4}); loss {loss:G4}");
        Assert.That(after, Is.LessThan(0.2 * before), "the penalty falls during training");
        Assert.That(after, Is.LessThan(0.5 * unpenalised), "and because of the penalty: the same run with λ = 0 keeps a larger one");
        Assert.That(double.IsFinite(loss), Is.True);
    }

    [Test]
    public void TrainingStepsWithAPenaltyAllocateNothingAfterWarmUp()
    {
        using var f = new EngineFixture<float>(instances: 70, seed: 2);   // two instance blocks, run inline (one worker)
        var nn = f.Builder;
        Entity x = nn.Input(4, 3), t = nn.Input(4, 2);
        DenseLayer hidden = nn.DenseLayer(x, 8);
        DenseLayer output = nn.DenseLayer(nn.Sigmoid(hidden.Output), 2);
        f.Graph.Loss = SymbolicGradient.GradientPenalty(nn, nn.SoftmaxCrossEntropyLoss(output.Output, t), x, 0.1).Total;
        f.Graph.Optimizer = OptimizerOptions.Adam(0.001);
        Assert.That(Allocations.AfterWarmUp(f.Step, steps: 100), Is.Zero);
    }

    private static (double Before, double After, double Loss) Train(double lambda)
    {
        using var f = new EngineFixture<double>(seed: 3);
        var nn = f.Builder;
        Entity x = nn.Input(8, 2), t = nn.Input(8, 1);
        DenseLayer hidden = nn.DenseLayer(x, 8, ParameterInit.Normal(1.5), ParameterInit.Normal(0.5));
        DenseLayer output = nn.DenseLayer(nn.Tanh(hidden.Output), 1, ParameterInit.Normal(1.5));
        Entity loss = nn.MseLoss(output.Output, t);
        PenalizedLoss penalised = SymbolicGradient.GradientPenalty(nn, loss, x, lambda);
        f.Graph.Loss = penalised.Total;
        f.Graph.Optimizer = OptimizerOptions.Adam(0.01);
        var random = new Random(9);
        f.Set(x, [.. Enumerable.Range(0, 16).Select(_ => 2 * random.NextDouble() - 1)]);
        f.Set(t, [.. Enumerable.Range(0, 8).Select(_ => random.NextDouble() - 0.5)]);

        f.Forward();
        double before = f.Value(penalised.Penalty)[0];
        for (int step = 0; step < 300; step++)
            f.Step();
        f.Forward();
        return (before, f.Value(penalised.Penalty)[0], f.Value(loss)[0]);
    }
}
