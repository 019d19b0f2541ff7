using System.Numerics;
using System.Numerics.Tensors;

namespace EcsNeural.Systems.Ops;

/// <summary>Rectified linear unit y = max(0, x); dx += dy where x > 0.</summary>
internal static class Relu
{
    public static void Forward<T>(in OpContext<T> c) where T : unmanaged, IFloatingPointIeee754<T>
    {
        TensorPrimitives.Max<T>(c.Input(0), T.Zero, c.Output);
    }

    public static void Backward<T>(in OpContext<T> c) where T : unmanaged, IFloatingPointIeee754<T>
    {
        Span<T> x = c.Input(0), dy = c.OutputGradient, dx = c.InputGradient(0);
        for (int j = 0; j < dx.Length; j++)
        {
            if (x[j] > T.Zero)
                dx[j] += dy[j];
        }
    }
}
