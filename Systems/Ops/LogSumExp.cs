using System.Numerics;
using EcsNeural.Systems.Kernels;
using System.Numerics.Tensors;

namespace EcsNeural.Systems.Ops;

/// <summary>The stable log-normaliser of a row, shared by the softmax family.</summary>
internal static class LogSumExp
{
    /// <summary>log Σ_j e^(z_j), computed as max z + log Σ_j e^(z_j − max z) so huge logits stay finite.</summary>
    public static T Of<T>(ReadOnlySpan<T> z) where T : unmanaged, IFloatingPointIeee754<T>
    {
        T max = TensorPrimitives.Max<T>(z);
        T sum = T.Zero;
        for (int j = 0; j < z.Length; j++)
            sum += ElementMath.Exp(z[j] - max);
        return max + ElementMath.Log(sum);
    }
}
