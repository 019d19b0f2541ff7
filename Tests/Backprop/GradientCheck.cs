using EcsNeural.Ecs;

namespace EcsNeural.Tests.Backprop;

/// <summary>
/// Compares the engine's backward pass with central finite differences in float64: for every element v of every
/// variable and every instance, (L(v+ε) − L(v−ε))/2ε against ∂L/∂v from the backward pass.
/// </summary>
internal static class GradientCheck
{
    private const double Epsilon = 1e-6;

    /// <summary>The largest relative error ‖analytic − numeric‖ / max(‖analytic‖, ‖numeric‖) over variables and instances.</summary>
    public static double MaxRelativeError(EngineFixture<double> f, IReadOnlyList<Entity> variables)
    {
        f.Graph.RequestGradients([.. variables]);
        f.Step();   // inputs only (no trainable node), so the optimizer changes nothing
        double worst = 0;
        for (int instance = 0; instance < f.Graph.InstanceCount; instance++)
        {
            foreach (Entity v in variables)
            {
                double[] analytic = f.Gradient(v, instance);
                var numeric = new double[analytic.Length];
                for (int j = 0; j < analytic.Length; j++)
                {
                    Span<double> values = f.Graph.Values(v, instance);
                    double saved = values[j];
                    values[j] = saved + Epsilon;
                    double plus = LossAfterForward(f, instance);
                    f.Graph.Values(v, instance)[j] = saved - Epsilon;
                    double minus = LossAfterForward(f, instance);
                    f.Graph.Values(v, instance)[j] = saved;
                    numeric[j] = (plus - minus) / (2 * Epsilon);
                }
                double difference = Norm(analytic.Zip(numeric, (a, n) => a - n));
                double scale = Math.Max(Math.Max(Norm(analytic), Norm(numeric)), 1e-12);
                worst = Math.Max(worst, difference / scale);
            }
        }
        return worst;
    }

    private static double LossAfterForward(EngineFixture<double> f, int instance)
    {
        f.Forward();
        return f.Graph.Values(f.Graph.Loss, instance)[0];
    }

    private static double Norm(IEnumerable<double> values) => Math.Sqrt(values.Sum(v => v * v));
}
