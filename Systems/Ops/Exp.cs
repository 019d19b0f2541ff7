using System.Numerics;
using System.Numerics.Tensors;

namespace EcsNeural.Systems.Ops;

/// <summary>y = eˣ; dx += dy·y.</summary>
internal static class Exp
{
    public static void Forward<T>(in OpContext<T> c) where T : unmanaged, IFloatingPointIeee754<T>
    {
        TensorPrimitives.Exp<T>(c.Input(0), c.Output);
    }

    public static void Backward<T>(in OpContext<T> c) where T : unmanaged, IFloatingPointIeee754<T>
    {
        Span<T> dx = c.InputGradient(0);
        TensorPrimitives.MultiplyAdd<T>(c.OutputGradient, c.Output, dx, dx);
    }
}
