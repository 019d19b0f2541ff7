using EcsNeural.Components;
using EcsNeural.Ecs;
using EcsNeural.Systems.Graph;
using EcsNeural.Systems.Symbolic;

namespace EcsNeural.Tests.Symbolic;

/// <summary>
/// Whole graphs, not single operations: a symbolic gradient equals the numeric backward pass through the same graph bit
/// for bit, for an MLP (tanh and ReLU) and a radial basis layer, to the third order (u₁ = z, u_{n+1} = ∇u_n · v_n: the
/// symbolic gradient dotted with random directions). Higher orders are graphs whose nodes have several consumers: the
/// numeric pass adds each later consumer's finished contribution in one addition, as the symbolic gradient's Add nodes do.
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
