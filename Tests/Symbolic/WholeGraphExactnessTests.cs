using EcsNeural.Components;
using EcsNeural.Ecs;
using EcsNeural.Systems.Graph;
using EcsNeural.Systems.Ops;
using EcsNeural.Systems.Symbolic;
using EcsNeural.Tests.Backprop;

namespace EcsNeural.Tests.Symbolic;

/// <summary>
/// Whole graphs, not single operations: a symbolic gradient equals the numeric backward pass through the same graph bit
/// for bit, for an MLP (tanh and ReLU) and a radial basis layer, to the third order (u₁ = z, u_{n+1} = ∇u_n · v_n: the
/// symbolic gradient dotted with random directions), in float64 and in float32 over many instances in parallel blocks.
/// Higher orders are graphs whose nodes have several consumers: the numeric pass adds each later consumer's finished
/// contribution in one addition, as the symbolic gradient's Add nodes do.
/// </summary>
public class WholeGraphExactnessTests
{
    [Test]
    public void AnMlpsDerivativesAreBitExactToTheThirdOrder([Values] bool relu, [Values(1, 2, 3)] int order)
    {
        using var m = new SmallMlp(relu);
        var nn = m.Fixture.Builder;
        var graph = m.Fixture.Graph;
        var random = new Random(3);
        Entity u = m.Loss;
        for (int n = 1; n < order; n++)
            u = DirectionalDerivative(nn, u, m.Variables, random, m.Fixture.Set);
        Entity[] symbolic = SymbolicGradient.Build(nn, u, m.Variables, PiecewiseDerivative.ZeroAlmostEverywhere);
        graph.Loss = u;
        graph.RequestGradients(m.Variables);
        m.Fixture.Step();

        for (int k = 0; k < m.Variables.Length; k++)
        {
            double[] numeric = m.Fixture.Gradient(m.Variables[k], 0);
            Assert.That(numeric.Any(x => x != 0), Is.True, $"variable {k}: a derivative of zeros would test nothing");
            Assert.That(Ulps.Max(numeric, m.Fixture.Value(symbolic[k], 0)), Is.EqualTo(0), $"order {order}, variable {k}");
        }
    }

    [Test]
    public void DerivativesOfARadialBasisLayerAreBitExactToTheThirdOrder([Values(11, 22, 33)] int seed, [Values(2, 3)] int order)
    {
        OpCase op = OpCases.All(seed).Single(o => o.Name == "RadialBasis");
        using var h = new OpHarness(op, seed);
        var nn = h.Fixture.Builder;
        var graph = h.Fixture.Graph;
        Entity u = h.Z;
        for (int n = 1; n < order; n++)
            u = DirectionalDerivative(nn, u, h.Inputs, h.Random, (d, values) => { for (int i = 0; i < OpHarness.Instances; i++) h.Fixture.SetInstance(d, i, values); });
        Entity[] symbolic = SymbolicGradient.Build(nn, u, h.Inputs);

        graph.Loss = u;
        graph.RequestGradients(h.Inputs);
        h.Fixture.Step();   // inputs only, so the optimizer changes nothing

        double[][][] fromGraph = h.ValuesOf(symbolic);
        for (int k = 0; k < h.Inputs.Length; k++)
            for (int i = 0; i < OpHarness.Instances; i++)
            {
                double[] numeric = h.Fixture.Gradient(h.Inputs[k], i);
                Assert.That(numeric.Count(x => x != 0), Is.GreaterThan(numeric.Length / 2), "a derivative of zeros would test nothing");
                Assert.That(Ulps.Max(numeric, fromGraph[k][i]), Is.EqualTo(0), $"order {order}, input {k}, instance {i}");
            }
    }

    [Test]
    public void InFloat32AcrossInstancesAndWorkersTooToTheThirdOrder([Values(1, 2, 3)] int order)
    {
        const int instances = 70;   // several instance blocks (more at higher orders), run by two workers
        using var f = new EngineFixture<float>(instances, seed: 9, workers: 2);
        var nn = f.Builder;
        var random = new Random(17);
        void Set(Entity e, double[] values)
        {
            for (int i = 0; i < instances; i++)
                f.SetInstance(e, i, [.. values.Select(v => (float)(v * (1 + 0.01 * i)))]);
        }
        Entity x = nn.Input(5, 4), t = nn.Input(5, 3);
        Entity[] theta = [nn.Input(4, 6), nn.Input(1, 6), nn.Input(6, 3), nn.Input(1, 3)];
        foreach (Entity e in theta.Append(x))
            Set(e, OpCases.Values(random, new Operand(f.Graph.ShapeOf(e).Rows, f.Graph.ShapeOf(e).Cols)));
        Set(t, OpCases.Values(random, new Operand(5, 3, SampleDraw.Positive)));
        Entity hidden = nn.Softplus(nn.Dense(x, theta[0], theta[1]));
        Entity u = nn.SigmoidCrossEntropyLoss(nn.Dense(hidden, theta[2], theta[3]), t);
        for (int n = 1; n < order; n++)
            u = DirectionalDerivative(nn, u, theta, random, Set);
        Entity[] symbolic = SymbolicGradient.Build(nn, u, theta);
        f.Graph.Loss = u;
        f.Graph.RequestGradients(theta);
        f.Step();

        for (int k = 0; k < theta.Length; k++)
            for (int i = 0; i < instances; i++)
            {
                float[] numeric = f.Gradient(theta[k], i);
                Assert.That(numeric.Any(v => v != 0), Is.True, $"variable {k}: a derivative of zeros would test nothing");
                Assert.That(f.Value(symbolic[k], i).Select(Bits), Is.EqualTo(numeric.Select(Bits)), $"order {order}, variable {k}, instance {i}");
            }
    }

    /// <summary>The bits of a float, with −0 taken as +0 (a masked-out element is 0·dy in one pass and an untouched 0 in the other).</summary>
    private static int Bits(float value) => BitConverter.SingleToInt32Bits(value == 0 ? 0f : value);

    /// <summary>∇u · v for fresh random directions v (one per variable, set through <paramref name="set"/>): a scalar one order higher.</summary>
    private static Entity DirectionalDerivative(GraphBuilder nn, Entity u, Entity[] variables, Random random, Action<Entity, double[]> set)
    {
        Entity[] gradient = SymbolicGradient.Build(nn, u, variables, PiecewiseDerivative.ZeroAlmostEverywhere);
        Entity sum = Entity.Null;
        for (int k = 0; k < variables.Length; k++)
        {
            NodeShape shape = nn.Graph.ShapeOf(variables[k]);
            Entity direction = nn.Input(shape.Rows, shape.Cols);
            set(direction, OpCases.Values(random, new Operand(shape.Rows, shape.Cols)));
            Entity term = nn.Dot(gradient[k], direction);
            sum = sum == Entity.Null ? term : nn.Add(sum, term);
        }
        return sum;
    }
}
