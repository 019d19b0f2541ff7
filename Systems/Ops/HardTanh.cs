using System.Numerics;
using System.Numerics.Tensors;

namespace EcsNeural.Systems.Ops;

/// <summary>Hard tanh y = max(−1, min(1, x)); dx += dy where |x| &lt; 1.</summary>
internal static class HardTanh
{
    public static void Forward<T>(in OpContext<T> c) where T : unmanaged, IFloatingPointIeee754<T>
    {
        TensorPrimitives.Clamp<T>(c.Input(0), -T.One, T.One, c.Output);
    }

    public static void Backward<T>(in OpContext<T> c) where T : unmanaged, IFloatingPointIeee754<T>
    {
        Span<T> x = c.Input(0), dy = c.OutputGradient, dx = c.InputGradient(0);
        for (int j = 0; j < dx.Length; j++)
        {
            if (T.Abs(x[j]) < T.One)
                dx[j] += dy[j];
        }
    }
}
