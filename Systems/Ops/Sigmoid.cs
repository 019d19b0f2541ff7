using System.Numerics;
using System.Numerics.Tensors;

namespace EcsNeural.Systems.Ops;

/// <summary>Logistic sigmoid y = 1/(1+e⁻ˣ); dx += dy·y(1−y).</summary>
internal static class Sigmoid
{
    public static void Forward<T>(in OpContext<T> c) where T : unmanaged, IFloatingPointIeee754<T>
    {
        TensorPrimitives.Sigmoid<T>(c.Input(0), c.Output);
    }

    public static void Backward<T>(in OpContext<T> c) where T : unmanaged, IFloatingPointIeee754<T>
    {
        Elementwise.AddSigmoidGradient<T>(c.Output, c.OutputGradient, c.InputGradient(0));
    }
}
