using EcsNeural.Components;

namespace EcsNeural.Plugin.Building;

/// <summary>
/// A layer's unit, named as in the lecture: <c>Activation.Tanh</c>, <c>Activation.LeakyRelu(0.01)</c>,
/// <c>Activation.Maxout(3)</c>. The default value is <see cref="Identity"/> (a linear layer).
/// </summary>
/// <param name="Kind">The unit.</param>
/// <param name="Parameter">α of leaky ReLU, the initial slope of PReLU, k of maxout; 0 otherwise.</param>
public readonly record struct Activation(ActivationKind Kind, double Parameter = 0)
{
    /// <summary>A linear layer.</summary>
    public static Activation Identity => new(ActivationKind.Identity);
    /// <summary>ReLU.</summary>
    public static Activation Relu => new(ActivationKind.Relu);
    /// <summary>Absolute-value rectification.</summary>
    public static Activation AbsRelu => new(ActivationKind.AbsRelu);
    /// <summary>Logistic sigmoid.</summary>
    public static Activation Sigmoid => new(ActivationKind.Sigmoid);
    /// <summary>Hyperbolic tangent.</summary>
    public static Activation Tanh => new(ActivationKind.Tanh);
    /// <summary>Softplus.</summary>
    public static Activation Softplus => new(ActivationKind.Softplus);
    /// <summary>Hard tanh.</summary>
    public static Activation HardTanh => new(ActivationKind.HardTanh);
    /// <summary>Sine.</summary>
    public static Activation Sin => new(ActivationKind.Sin);
    /// <summary>Row-wise softmax (an output unit).</summary>
    public static Activation Softmax => new(ActivationKind.Softmax);
    /// <summary>Row-wise log-softmax (an output unit).</summary>
    public static Activation LogSoftmax => new(ActivationKind.LogSoftmax);

    /// <summary>Leaky ReLU with slope <paramref name="alpha"/> for z ≤ 0.</summary>
    public static Activation LeakyRelu(double alpha = 0.01) => new(ActivationKind.LeakyRelu, alpha);

    /// <summary>PReLU: one learned slope per unit, each starting at <paramref name="initialSlope"/>.</summary>
    public static Activation PRelu(double initialSlope = 0.25) => new(ActivationKind.PRelu, initialSlope);

    /// <summary>Maxout with <paramref name="pieces"/> affine pieces per unit (k ≥ 1).</summary>
    public static Activation Maxout(int pieces)
    {
        if (pieces < 1)
            throw new ArgumentOutOfRangeException(nameof(pieces), pieces, $"Maxout needs at least one piece per unit, got {pieces}.");
        return new(ActivationKind.Maxout, pieces);
    }

    /// <summary>The lecture's advice for the layer's weights: He for the rectifiers, Xavier for the rest.</summary>
    internal ParameterInit DefaultWeights => IsRectifier ? ParameterInit.He : ParameterInit.Xavier;

    /// <summary>The lecture's advice for the bias: 0.1 for rectifiers (units start active), 0 otherwise.</summary>
    internal ParameterInit DefaultBias => IsRectifier ? ParameterInit.Constant(0.1) : ParameterInit.Zeros;

    private bool IsRectifier => Kind is ActivationKind.Relu or ActivationKind.LeakyRelu or ActivationKind.PRelu or ActivationKind.Maxout;

    /// <inheritdoc/>
    public override string ToString() => Kind switch
    {
        ActivationKind.LeakyRelu or ActivationKind.PRelu => $"{Kind}({Parameter})",
        ActivationKind.Maxout => $"Maxout({(int)Parameter})",
        _ => Kind.ToString(),
    };
}
