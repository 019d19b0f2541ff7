using System.Numerics;
using EcsNeural.Components;

namespace EcsNeural.Systems.Ops;

/// <summary>An input leaf: values the host writes (observations, targets); no pass of its own.</summary>
internal readonly struct InputLeaf : IOperation
{
    /// <inheritdoc/>
    public static OpDescription Description { get; } = new()
    {
        Op = OpCode.Input,
        Arity = 0,
        Shape = null,
        Bprop = null,
        TwiceDifferentiable = true,
        Rows = RowRule.Independent,
        Onnx = null,
        Sample = null,
        Activation = null,
    };

    /// <inheritdoc/>
    public static void Forward<T>(in OpContext<T> c) where T : unmanaged, IFloatingPointIeee754<T> => throw new InvalidOperationException("A leaf has no forward pass.");

    /// <inheritdoc/>
    public static void Backward<T>(in OpContext<T> c) where T : unmanaged, IFloatingPointIeee754<T> => throw new InvalidOperationException("A leaf has no backward pass.");
}

/// <summary>A parameter leaf: values the optimizer updates; no pass of its own.</summary>
internal readonly struct ParameterLeaf : IOperation
{
    /// <inheritdoc/>
    public static OpDescription Description { get; } = InputLeaf.Description with { Op = OpCode.Parameter };

    /// <inheritdoc/>
    public static void Forward<T>(in OpContext<T> c) where T : unmanaged, IFloatingPointIeee754<T> => InputLeaf.Forward(c);

    /// <inheritdoc/>
    public static void Backward<T>(in OpContext<T> c) where T : unmanaged, IFloatingPointIeee754<T> => InputLeaf.Backward(c);
}
