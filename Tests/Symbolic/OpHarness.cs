using EcsNeural.Ecs;
using EcsNeural.Tests.Backprop;

namespace EcsNeural.Tests.Symbolic;

/// <summary>
/// Puts one op case into a float64 graph with fresh input nodes and the scalar z = Σ(op ⊙ R) for a fixed random R, which
/// weighs every output element differently and so exercises the whole Jacobian.
/// </summary>
internal sealed class OpHarness : IDisposable
{
    public const int Instances = 2;

    public OpHarness(OpCase op, int seed)
    {
        Fixture = new EngineFixture<double>(Instances);
        var random = new Random(seed * 7919 + op.Name.Length);
        Inputs = op.Operands.Select(o => Fixture.Builder.Input(o.Rows, o.Cols)).ToArray();
        Output = op.Make(Fixture.Builder, Inputs);
        var shape = Fixture.Graph.ShapeOf(Output);
        Entity weights = Fixture.Builder.Input(shape.Rows, shape.Cols);
        Z = Fixture.Builder.Sum(Fixture.Builder.Mul(Output, weights));
        for (int instance = 0; instance < Instances; instance++)
        {
            for (int k = 0; k < Inputs.Length; k++)
                Fixture.SetInstance(Inputs[k], instance, OpCases.Values(random, op.Operands[k]));
            Fixture.SetInstance(weights, instance, OpCases.Values(random, new Operand(shape.Rows, shape.Cols)));
        }
        Random = random;
    }

    public EngineFixture<double> Fixture { get; }
    public Entity[] Inputs { get; }
    public Entity Output { get; }
    public Entity Z { get; }
    /// <summary>The generator, after the inputs were drawn (for further draws such as directions).</summary>
    public Random Random { get; }

    /// <summary>Runs forward and the numeric backward pass for ∂z/∂inputs, and returns those gradients [input][instance].</summary>
    public double[][][] NumericGradients()
    {
        Fixture.Graph.Loss = Z;
        Fixture.Graph.RequestGradients(Inputs);
        Fixture.Step();   // inputs only (no trainable node), so the optimizer changes nothing
        return Inputs.Select(v => Enumerable.Range(0, Instances).Select(i => Fixture.Gradient(v, i)).ToArray()).ToArray();
    }

    /// <summary>The values of nodes [node][instance] after the last forward pass.</summary>
    public double[][][] ValuesOf(Entity[] nodes)
        => nodes.Select(v => Enumerable.Range(0, Instances).Select(i => Fixture.Value(v, i)).ToArray()).ToArray();

    public void Dispose() => Fixture.Dispose();
}
