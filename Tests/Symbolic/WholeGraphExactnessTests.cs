using EcsNeural.Ecs;
using EcsNeural.Systems.Symbolic;

namespace EcsNeural.Tests.Symbolic;

/// <summary>
/// Whole graphs, not single operations: a symbolic gradient equals the numeric backward pass through the same graph bit
/// for bit — an MLP's first derivatives, and a radial basis layer's derivatives to the third order (u₁ = z,
/// u_{n+1} = ∇u_n · v_n: the symbolic gradient dotted with a random direction), where nodes have several consumers and
/// each radial basis contraction adds its finished sum to a gradient once, in the numeric pass's order.
/// </summary>
public class WholeGraphExactnessTests
{
    [Test]
    public void AnMlpsSymbolicGradientIsBitExact([Values] bool relu)
    {
        using var m = new SmallMlp(relu);
        Entity[] symbolic = SymbolicGradient.Build(m.Fixture.Builder, m.Loss, m.Variables, PiecewiseDerivative.ZeroAlmostEverywhere);
        m.Fixture.Graph.Loss = m.Loss;
        m.Fixture.Graph.RequestGradients(m.Variables);
        m.Fixture.Step();

        for (int k = 0; k < m.Variables.Length; k++)
        {
            double[] numeric = m.Fixture.Gradient(m.Variables[k], 0);
            Assert.That(numeric.Any(x => x != 0), Is.True);
            Assert.That(Ulps.Max(numeric, m.Fixture.Value(symbolic[k], 0)), Is.EqualTo(0), $"variable {k}");
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
        {
            Entity[] gradient = SymbolicGradient.Build(nn, u, h.Inputs);
            Entity[] directions = [.. h.Inputs.Select(v => nn.Input(graph.ShapeOf(v).Rows, graph.ShapeOf(v).Cols))];
            for (int i = 0; i < OpHarness.Instances; i++)
                foreach (Entity d in directions)
                    h.Fixture.SetInstance(d, i, OpCases.Values(h.Random, new Operand(graph.ShapeOf(d).Rows, graph.ShapeOf(d).Cols)));
            u = nn.Add(nn.Dot(gradient[0], directions[0]), nn.Dot(gradient[1], directions[1]));
        }
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
}
