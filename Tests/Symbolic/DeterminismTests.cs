using EcsNeural.Components;
using EcsNeural.Ecs;
using EcsNeural.Systems.Graph;
using EcsNeural.Systems.Symbolic;
using EcsNeural.Tests.Backprop;

namespace EcsNeural.Tests.Symbolic;

/// <summary>Gradient nodes are ordinary nodes: a population's Hessian-vector products have the same bits with any worker count.</summary>
public class DeterminismTests
{
    [Test]
    public void HessianVectorProductsOfAPopulationAreBitIdenticalWithOneOrTwoWorkers()
    {
        float[] one = HessianVectorProducts(workers: 1), two = HessianVectorProducts(workers: 2);

        Assert.That(two.Select(BitConverter.SingleToInt32Bits), Is.EqualTo(one.Select(BitConverter.SingleToInt32Bits)));
        Assert.That(one.Any(v => v != 0), Is.True);
    }

    private static float[] HessianVectorProducts(int workers)
    {
        const int instances = 130;   // three instance blocks
        using var f = new EngineFixture<float>(instances, seed: 4, workers);
        var nn = f.Builder;
        Entity x = nn.Input(1, 6), t = nn.Input(1, 2);
        DenseLayer hidden = nn.DenseLayer(x, 8, ParameterInit.Xavier, ParameterInit.Constant(0.1));
        DenseLayer output = nn.DenseLayer(nn.Softplus(hidden.Output), 2);
        Entity loss = nn.SoftmaxCrossEntropyLoss(output.Output, t);
        Entity[] theta = [hidden.Weights, hidden.Bias, output.Weights, output.Bias];
        Entity[] v = [.. theta.Select(p => nn.Input(f.Graph.ShapeOf(p).Rows, f.Graph.ShapeOf(p).Cols))];
        Entity[] hv = SymbolicGradient.HessianVectorProduct(nn, loss, theta, v);
        var random = new Random(8);
        for (int i = 0; i < instances; i++)
            foreach (Entity e in v.Prepend(x))
                f.SetInstance(e, i, [.. Enumerable.Range(0, f.Graph.ShapeOf(e).Length).Select(_ => (float)(random.NextDouble() - 0.5))]);
        for (int i = 0; i < instances; i++)
            f.SetInstance(t, i, 0.3f, 0.7f);

        f.Forward();

        return [.. hv.SelectMany(e => f.Graph.AllValues(e).ToArray())];
    }
}
