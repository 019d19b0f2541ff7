using System.Numerics;
using System.Numerics.Tensors;

namespace EcsNeural.Systems.Ops;

/// <summary>y = ln x; dx += dy / x.</summary>
internal static class Log
{
    public static void Forward<T>(in OpContext<T> c) where T : unmanaged, IFloatingPointIeee754<T>
    {
        TensorPrimitives.Log<T>(c.Input(0), c.Output);
    }

    public static void Backward<T>(in OpContext<T> c) where T : unmanaged, IFloatingPointIeee754<T>
    {
        Span<T> x = c.Input(0), dy = c.OutputGradient, dx = c.InputGradient(0);
        for (int j = 0; j < dx.Length; j++)
            dx[j] += dy[j] / x[j];
    }
}
