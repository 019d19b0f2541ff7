using System.Numerics;

namespace EcsNeural.Systems.Ops;

/// <summary>
/// Step mask y = x &gt; 0 ? 1 : α (α in the node's scalar; 0 gives ReLU's derivative, α gives leaky ReLU's).
/// Piecewise constant: its derivative is 0 wherever it exists (everywhere but x = 0), so the backward pass adds nothing.
/// </summary>
internal static class Step
{
    public static void Forward<T>(in OpContext<T> c) where T : unmanaged, IFloatingPointIeee754<T>
    {
        Span<T> x = c.Input(0), y = c.Output;
        T below = T.CreateTruncating(c.Scalar);
        for (int j = 0; j < y.Length; j++)
            y[j] = x[j] > T.Zero ? T.One : below;
    }

    /// <summary>The derivative's almost-everywhere value, 0: nothing to add.</summary>
    public static void Backward<T>(in OpContext<T> c) where T : unmanaged, IFloatingPointIeee754<T> { }
}
