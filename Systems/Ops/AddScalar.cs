using System.Numerics;
using System.Numerics.Tensors;

namespace EcsNeural.Systems.Ops;

/// <summary>Addition of a constant: y = x + c; dx += dy.</summary>
internal static class AddScalar
{
    public static void Forward<T>(in OpContext<T> c) where T : unmanaged, IFloatingPointIeee754<T>
    {
        TensorPrimitives.Add<T>(c.Input(0), T.CreateTruncating(c.Scalar), c.Output);
    }

    public static void Backward<T>(in OpContext<T> c) where T : unmanaged, IFloatingPointIeee754<T>
    {
        Span<T> dx = c.InputGradient(0);
        TensorPrimitives.Add<T>(dx, c.OutputGradient, dx);
    }
}
