using EcsNeural.Components;
using EcsNeural.Systems.Kernels;
using EcsNeural.Systems.Symbolic;
using System.Numerics;
using System.Numerics.Tensors;

namespace EcsNeural.Systems.Ops;

/// <summary>
/// Sigmoid output unit with binary cross-entropy, taken on the logits z so it never saturates while wrong:
/// per element ς(z) − y·z, which for y ∈ {0, 1} is the lecture's softplus form ς((1−2y)z) = −log σ((2y−1)z);
/// L is the mean over the n elements. dz += (σ(z) − y)/n·dL, dy −= z/n·dL.
/// </summary>
internal readonly struct SigmoidCrossEntropyLoss : IOperation
{
    /// <inheritdoc/>
    public static OpDescription Description { get; } = new()
    {
        Op = OpCode.SigmoidCrossEntropyLoss,
        Arity = 2,
        Shape = static (in Node node, ReadOnlySpan<NodeShape> inputs) => ShapeRules.Loss(inputs),
        Bprop = SoftmaxAndLossBprops.SigmoidCrossEntropyLoss,
        TwiceDifferentiable = true,
        Rows = RowRule.Mixes,
        Onnx = null,
        Sample = static (r, c, k) => new(new Node(OpCode.SigmoidCrossEntropyLoss), [new(r, c), new(r, c, SampleDraw.Positive)]),
        Activation = null,
    };

    public static void Forward<T>(in OpContext<T> c) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int n = c.InputShape(0).Length;
        Span<T> z = c.Input(0), y = c.Input(1), loss = c.Output;
        for (int i = 0; i < c.Instances; i++)
        {
            Span<T> zi = OpContext<T>.Slice(z, i, n), yi = OpContext<T>.Slice(y, i, n);
            T sum = T.Zero;
            for (int j = 0; j < n; j++)
                sum += ElementMath.Softplus(zi[j]) - yi[j] * zi[j];
            loss[i] = sum / T.CreateTruncating(n);
        }
    }

    public static void Backward<T>(in OpContext<T> c) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int n = c.InputShape(0).Length;
        bool needZ = c.NeedsGradient(0), needY = c.NeedsGradient(1);
        Span<T> z = c.Input(0), y = c.Input(1), dLoss = c.OutputGradient;
        Span<T> sigmoid = needZ ? ElementScratch<T>.Rent(z.Length) : default;
        if (needZ)
            ElementMath.Sigmoid<T>(z, sigmoid);   // over every instance at once, as the graph's Sigmoid node computes it
        for (int i = 0; i < c.Instances; i++)
        {
            Span<T> zi = OpContext<T>.Slice(z, i, n), yi = OpContext<T>.Slice(y, i, n);
            Span<T> dzi = needZ ? OpContext<T>.Slice(c.InputGradient(0), i, n) : default;
            Span<T> dyi = needY ? OpContext<T>.Slice(c.InputGradient(1), i, n) : default;
            T scale = dLoss[i] / T.CreateTruncating(n);
            for (int j = 0; j < n; j++)
            {
                if (needZ)
                    dzi[j] += scale * (sigmoid[i * n + j] - yi[j]);
                if (needY)
                    dyi[j] -= scale * zi[j];
            }
        }
    }
}
