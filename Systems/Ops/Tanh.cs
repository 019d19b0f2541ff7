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
        Elementwise.AddTanhGradient<T>(c.Output, c.OutputGradient, c.InputGradient(0));
    }
}
