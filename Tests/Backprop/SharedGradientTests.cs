using EcsNeural.Ecs;
using EcsNeural.Systems.Graph;

namespace EcsNeural.Tests.Backprop;

/// <summary>
/// A gradient with several writers is the sum of their finished contributions: each writer after the first computes its
/// whole contribution apart and adds it once, so a tied weight's gradient has exactly the bits of the sum of the gradients
/// its uses get as separate parameters — whichever kernel path (small batch, GEMM batch) each use takes.
/// </summary>
public class SharedGradientTests
{
    [Test]
    public void ATiedWeightsGradientIsTheSumOfItsUsesGradients([Values(3, 20)] int batch, [Values(1, 2)] int workers)
    {
        const int instances = 3, width = 5;
        using var tied = new EngineFixture<float>(instances, workers: workers);
        using var untied = new EngineFixture<float>(instances, workers: workers);
        (Entity[] tiedUses, Entity tiedLoss) = Build(tied, batch, width, shareWeights: true);
        (Entity[] untiedUses, Entity untiedLoss) = Build(untied, batch, width, shareWeights: false);
        tied.Graph.Loss = tiedLoss;
        untied.Graph.Loss = untiedLoss;
        tied.Graph.RequestGradients([tiedUses[0]]);
        untied.Graph.RequestGradients(untiedUses);

        tied.Step();
        untied.Step();

        for (int i = 0; i < instances; i++)
        {
            float[] sum = [.. untied.Gradient(untiedUses[1], i).Zip(untied.Gradient(untiedUses[0], i), (second, first) => second + first)];
            float[] gradient = tied.Gradient(tiedUses[0], i);
            Assert.That(gradient.Select(BitConverter.SingleToInt32Bits), Is.EqualTo(sum.Select(BitConverter.SingleToInt32Bits)), $"instance {i}");
            Assert.That(gradient.Any(g => g != 0), Is.True);
        }
    }

    /// <summary>
    /// x → Dense(W₁) → tanh → Dense(W₂) → MSE, with W₂ the same node as W₁ when <paramref name="shareWeights"/>, else a
    /// separate one holding the same values. Returns the weight nodes (the same node twice when shared) and the loss.
    /// </summary>
    private static (Entity[] Weights, Entity Loss) Build(EngineFixture<float> f, int batch, int width, bool shareWeights)
    {
        var nn = f.Builder;
        var random = new Random(7);
        float[] Draw(int count) => [.. Enumerable.Range(0, count).Select(_ => (float)random.NextDouble() * 2 - 1)];
        Entity x = nn.Input(batch, width), t = nn.Input(batch, width), b1 = nn.Input(1, width), b2 = nn.Input(1, width);
        Entity w1 = nn.Input(width, width), w2 = shareWeights ? w1 : nn.Input(width, width);
        float[] weights = Draw(width * width);
        for (int i = 0; i < f.Graph.InstanceCount; i++)
        {
            f.SetInstance(x, i, Draw(batch * width));
            f.SetInstance(t, i, Draw(batch * width));
            f.SetInstance(b1, i, Draw(width));
            f.SetInstance(b2, i, Draw(width));
            f.SetInstance(w1, i, weights);
            if (!shareWeights)
                f.SetInstance(w2, i, weights);
        }
        Entity loss = nn.MseLoss(nn.Dense(nn.Tanh(nn.Dense(x, w1, b1)), w2, b2), t);
        return ([w1, w2], loss);
    }
}
