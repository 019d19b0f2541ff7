using System.Numerics;
using System.Numerics.Tensors;

namespace EcsNeural.Systems.Ops;

/// <summary>Hyperbolic tangent; dx += dy·(1−y²).</summary>
internal static class Tanh
{
    public static void Forward<T>(in OpContext<T> c) where T : unmanaged, IFloatingPointIeee754<T>
    {
        TensorPrimitives.Tanh<T>(c.Input(0), c.Output);
    }

    public static void Backward<T>(in OpContext<T> c) where T : unmanaged, IFloatingPointIeee754<T>
    {
        Span<T> y = c.Output, dy = c.OutputGradient, dx = c.InputGradient(0);
        for (int j = 0; j < dx.Length; j++)
            dx[j] += dy[j] * (T.One - y[j] * y[j]);
    }
}
