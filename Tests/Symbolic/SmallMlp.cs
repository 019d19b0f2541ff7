using EcsNeural.Ecs;
using EcsNeural.Tests.Backprop;

namespace EcsNeural.Tests.Symbolic;

/// <summary>
/// A small float64 MLP 3-4-2 with MSE loss on a batch of 4, whose weights and biases are input nodes (so the training
/// group's backward pass computes their numeric gradient and the optimizer leaves them alone).
/// </summary>
internal sealed class SmallMlp : IDisposable
{
    public SmallMlp(bool relu, int seed = 5)
    {
        Fixture = new EngineFixture<double>();
        var nn = Fixture.Builder;
        Entity x = nn.Input(4, 3), t = nn.Input(4, 2);
        Entity w1 = nn.Input(3, 4), b1 = nn.Input(1, 4), w2 = nn.Input(4, 2), b2 = nn.Input(1, 2);
        PreActivation = nn.Dense(x, w1, b1);
        Entity hidden = relu ? nn.Relu(PreActivation) : nn.Tanh(PreActivation);
        Loss = nn.MseLoss(nn.Dense(hidden, w2, b2), t);
        Variables = [w1, b1, w2, b2];
        var random = new Random(seed);
        foreach (Entity e in new[] { x, t, w1, b1, w2, b2 })
            Fixture.Set(e, [.. Enumerable.Range(0, Fixture.Graph.ShapeOf(e).Length).Select(_ => 2 * random.NextDouble() - 1)]);
        if (relu)
            Fixture.Set(b1, 0.3, -0.2, 0.25, 0.1);   // keeps every unit's pre-activations away from the kink at 0 (checked below)
    }

    public EngineFixture<double> Fixture { get; }
    public Entity Loss { get; }
    public Entity[] Variables { get; }
    /// <summary>The hidden layer before its activation.</summary>
    public Entity PreActivation { get; }

    /// <summary>Total number of parameters (rows of the Hessian).</summary>
    public int ParameterCount => Variables.Sum(v => Fixture.Graph.ShapeOf(v).Length);

    /// <summary>∂loss/∂θ by the numeric backward pass, all variables concatenated.</summary>
    public double[] NumericGradient()
    {
        Fixture.Graph.Loss = Loss;
        Fixture.Graph.RequestGradients(Variables);
        Fixture.Step();
        return Variables.SelectMany(v => Fixture.Gradient(v)).ToArray();
    }

    /// <summary>Adds <paramref name="delta"/> to parameter element <paramref name="r"/> (in concatenated order).</summary>
    public void Nudge(int r, double delta)
    {
        foreach (Entity v in Variables)
        {
            int length = Fixture.Graph.ShapeOf(v).Length;
            if (r < length)
            {
                Fixture.Graph.Values(v, 0)[r] += delta;
                return;
            }
            r -= length;
        }
        throw new ArgumentOutOfRangeException(nameof(r));
    }

    /// <summary>The Hessian by central differences of the numeric gradient: column r from θ_r ± ε.</summary>
    public double[,] FiniteDifferenceHessian(double epsilon)
    {
        int n = ParameterCount;
        var hessian = new double[n, n];
        for (int r = 0; r < n; r++)
        {
            Nudge(r, epsilon);
            double[] plus = NumericGradient();
            Nudge(r, -2 * epsilon);
            double[] minus = NumericGradient();
            Nudge(r, epsilon);
            for (int c = 0; c < n; c++)
                hessian[c, r] = (plus[c] - minus[c]) / (2 * epsilon);
        }
        return hessian;
    }

    /// <summary>The values of Hessian rows built by SymbolicGradient.Hessian (after a forward pass).</summary>
    public double[,] Read(Entity[][] rows)
    {
        int n = ParameterCount;
        var hessian = new double[n, n];
        for (int r = 0; r < n; r++)
        {
            double[] row = rows[r].SelectMany(e => Fixture.Value(e)).ToArray();
            for (int c = 0; c < n; c++)
                hessian[r, c] = row[c];
        }
        return hessian;
    }

    public void Dispose() => Fixture.Dispose();
}
