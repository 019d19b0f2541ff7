using System.Numerics;
using System.Numerics.Tensors;

namespace EcsNeural.Systems.Ops;

/// <summary>y = (Σ x)/n over all n elements of an instance, a [1×1] result; dx += dy/n.</summary>
internal static class Mean
{
    public static void Forward<T>(in OpContext<T> c) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int n = c.InputShape(0).Length;
        Span<T> x = c.Input(0), y = c.Output;
        for (int i = 0; i < c.Instances; i++)
            y[i] = TensorPrimitives.Sum<T>(OpContext<T>.Slice(x, i, n)) / T.CreateTruncating(n);
    }

    public static void Backward<T>(in OpContext<T> c) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int n = c.InputShape(0).Length;
        Span<T> dx = c.InputGradient(0), dy = c.OutputGradient;
        for (int i = 0; i < c.Instances; i++)
        {
            Span<T> dxi = OpContext<T>.Slice(dx, i, n);
            TensorPrimitives.Add<T>(dxi, dy[i] / T.CreateTruncating(n), dxi);
        }
    }
}
