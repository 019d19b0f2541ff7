using EcsNeural.Components;
using EcsNeural.Systems.Ops;

namespace EcsNeural.Plugin.Building;

/// <summary>
/// A layer's unit: an op that describes itself as an activation (<see cref="OpDescription.Activation"/>), with its one
/// parameter; named as in the lecture: <c>Activation.Tanh</c>, <c>Activation.LeakyRelu(0.01)</c>,
/// <c>Activation.Maxout(3)</c>, or <c>Activation.Of(op)</c> for any unit op. The default value is <see cref="Identity"/>
/// (a linear layer).
/// </summary>
/// <param name="Op">The unit's op; null for the identity.</param>
/// <param name="Parameter">α of leaky ReLU, the initial slope of PReLU, k of maxout; 0 otherwise.</param>
public readonly record struct Activation(OpCode? Op, double Parameter = 0)
{
    /// <summary>A linear layer.</summary>
    public static Activation Identity => default;
    /// <summary>ReLU.</summary>
    public static Activation Relu => Of(OpCode.Relu);
    /// <summary>Absolute-value rectification.</summary>
    public static Activation AbsRelu => Of(OpCode.AbsRelu);
    /// <summary>Logistic sigmoid.</summary>
    public static Activation Sigmoid => Of(OpCode.Sigmoid);
    /// <summary>Hyperbolic tangent.</summary>
    public static Activation Tanh => Of(OpCode.Tanh);
    /// <summary>Softplus.</summary>
    public static Activation Softplus => Of(OpCode.Softplus);
    /// <summary>Hard tanh.</summary>
    public static Activation HardTanh => Of(OpCode.HardTanh);
    /// <summary>Sine.</summary>
    public static Activation Sin => Of(OpCode.Sin);
    /// <summary>Row-wise softmax (an output unit).</summary>
    public static Activation Softmax => Of(OpCode.Softmax);
    /// <summary>Row-wise log-softmax (an output unit).</summary>
    public static Activation LogSoftmax => Of(OpCode.LogSoftmax);

    /// <summary>Leaky ReLU with slope <paramref name="alpha"/> for z ≤ 0.</summary>
    public static Activation LeakyRelu(double alpha = 0.01) => Of(OpCode.LeakyRelu, alpha);

    /// <summary>PReLU: one learned slope per unit, each starting at <paramref name="initialSlope"/>.</summary>
    public static Activation PRelu(double initialSlope = 0.25) => Of(OpCode.PRelu, initialSlope);

    /// <summary>Maxout with <paramref name="pieces"/> affine pieces per unit (k ≥ 1).</summary>
    public static Activation Maxout(int pieces) => Of(OpCode.Maxout, pieces);

    /// <summary>The unit <paramref name="op"/> with <paramref name="parameter"/>, checked by the op's own description.</summary>
    /// <exception cref="ArgumentException"><paramref name="op"/> is not an activation.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The op cannot take <paramref name="parameter"/>.</exception>
    public static Activation Of(OpCode op, double parameter = 0)
    {
        ActivationUnit unit = Operations.Of(op).Activation
            ?? throw new ArgumentException($"{op} is not an activation (its description declares no ActivationUnit).", nameof(op));
        unit.Validate(parameter);
        return new(op, parameter);
    }

    /// <summary>The op's activation description, or null for the identity.</summary>
    internal ActivationUnit? Unit => Op is { } op ? Operations.Of(op).Activation : null;

    /// <summary>Affine outputs per unit (maxout's k; 1 otherwise).</summary>
    internal int AffinePerUnit => Unit?.AffinePerUnit(Parameter) ?? 1;

    /// <summary>The lecture's advice for the layer's weights: He for the rectifiers, Xavier for the rest.</summary>
    internal ParameterInit DefaultWeights => IsRectifier ? ParameterInit.He : ParameterInit.Xavier;

    /// <summary>The lecture's advice for the bias: 0.1 for rectifiers (units start active), 0 otherwise.</summary>
    internal ParameterInit DefaultBias => IsRectifier ? ParameterInit.Constant(0.1) : ParameterInit.Zeros;

    private bool IsRectifier => Unit?.Rectifier ?? false;

    /// <inheritdoc/>
    public override string ToString() => Op is { } op ? Unit!.Format(op, Parameter) : "Identity";
}
