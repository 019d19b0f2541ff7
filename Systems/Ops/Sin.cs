using System.Numerics;
using System.Numerics.Tensors;

namespace EcsNeural.Systems.Ops;

/// <summary>y = sin x (also the sine hidden unit); dx += dy·cos x.</summary>
internal static class Sin
{
    public static void Forward<T>(in OpContext<T> c) where T : unmanaged, IFloatingPointIeee754<T>
    {
        TensorPrimitives.Sin<T>(c.Input(0), c.Output);
    }

    public static void Backward<T>(in OpContext<T> c) where T : unmanaged, IFloatingPointIeee754<T>
    {
        Span<T> x = c.Input(0), dy = c.OutputGradient, dx = c.InputGradient(0);
        for (int j = 0; j < dx.Length; j++)
            dx[j] += dy[j] * T.Cos(x[j]);
    }
}
