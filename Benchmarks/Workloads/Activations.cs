using System.Numerics.Tensors;
using System.Runtime.Intrinsics;

namespace EcsNeural.Benchmarks.Workloads;

/// <summary>The elementwise pieces of the kernel-only training steps (ReLU, its gradient mask, MSE, SGD).</summary>
public static class Activations
{
    /// <summary>v = max(v, 0) in place.</summary>
    public static void Relu(Span<float> values) => TensorPrimitives.Max(values, 0f, values);

    /// <summary>gradient *= (activation &gt; 0): back through a ReLU whose output is <paramref name="activation"/>.</summary>
    public static void ReluBackward(ReadOnlySpan<float> activation, Span<float> gradient)
    {
        int i = 0;
        for (; i + Vector512<float>.Count <= gradient.Length; i += Vector512<float>.Count)
        {
            var active = Vector512.GreaterThan(Vector512.Create(activation.Slice(i, Vector512<float>.Count)), Vector512<float>.Zero);
            Vector512.BitwiseAnd(Vector512.Create(gradient.Slice(i, Vector512<float>.Count)), active).CopyTo(gradient.Slice(i));
        }
        for (; i < gradient.Length; i++)
            if (!(activation[i] > 0))
                gradient[i] = 0;
    }

    /// <summary>Gradient of the mean squared error over each row of <paramref name="width"/> outputs: 2(y − t)/width.</summary>
    public static void MeanSquaredErrorGradient(ReadOnlySpan<float> output, ReadOnlySpan<float> target, Span<float> gradient, int width)
    {
        TensorPrimitives.Subtract(output, target, gradient);
        TensorPrimitives.Multiply(gradient, 2f / width, gradient);
    }

    /// <summary>SGD: parameter −= learningRate · gradient.</summary>
    public static void SgdUpdate(Span<float> parameters, ReadOnlySpan<float> gradient, float learningRate)
        => TensorPrimitives.MultiplyAdd(gradient, -learningRate, parameters, parameters);

    /// <summary>Fills with uniform values in [−scale, scale] from a seeded generator.</summary>
    public static void FillUniform(Span<float> values, Random random, float scale)
    {
        for (int i = 0; i < values.Length; i++)
            values[i] = (float)(random.NextDouble() * 2 - 1) * scale;
    }
}
