using System.Numerics;
using System.Numerics.Tensors;

namespace EcsNeural.Systems.Ops;

/// <summary>Multiplication by a constant: y = c·x; dx += c·dy.</summary>
internal static class Scale
{
    public static void Forward<T>(in OpContext<T> c) where T : unmanaged, IFloatingPointIeee754<T>
    {
        TensorPrimitives.Multiply<T>(c.Input(0), T.CreateTruncating(c.Scalar), c.Output);
    }

    public static void Backward<T>(in OpContext<T> c) where T : unmanaged, IFloatingPointIeee754<T>
    {
        Span<T> dx = c.InputGradient(0);
        TensorPrimitives.MultiplyAdd<T>(c.OutputGradient, T.CreateTruncating(c.Scalar), dx, dx);
    }
}
