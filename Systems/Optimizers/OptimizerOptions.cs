namespace EcsNeural.Systems.Optimizers;

/// <summary>
/// A graph's optimizer and its hyper-parameters. Validated when created: a learning rate that is not a positive
/// finite number (≤ 0, NaN, ∞) is rejected with <see cref="ArgumentOutOfRangeException"/>.
/// </summary>
public sealed record OptimizerOptions
{
    private OptimizerOptions(OptimizerKind kind, double learningRate, double momentum, double beta1, double beta2, double epsilon)
    {
        RequirePositive(learningRate, nameof(learningRate));
        RequireFraction(momentum, nameof(momentum));
        RequireFraction(beta1, nameof(beta1));
        RequireFraction(beta2, nameof(beta2));
        RequirePositive(epsilon, nameof(epsilon));
        (Kind, LearningRate, MomentumCoefficient, Beta1, Beta2, Epsilon) = (kind, learningRate, momentum, beta1, beta2, epsilon);
    }

    /// <summary>The update rule.</summary>
    public OptimizerKind Kind { get; }
    /// <summary>η, a positive finite number.</summary>
    public double LearningRate { get; }
    /// <summary>μ for <see cref="OptimizerKind.Momentum"/>, in [0, 1).</summary>
    public double MomentumCoefficient { get; }
    /// <summary>β₁ for Adam, in [0, 1).</summary>
    public double Beta1 { get; }
    /// <summary>β₂ for Adam, in [0, 1).</summary>
    public double Beta2 { get; }
    /// <summary>ε for Adam, positive.</summary>
    public double Epsilon { get; }

    /// <summary>Number of state tensors per parameter (velocity; first and second moments).</summary>
    public int StateTensors => Kind switch { OptimizerKind.Momentum => 1, OptimizerKind.Adam => 2, _ => 0 };

    /// <summary>Plain SGD: w ← w − η∇w.</summary>
    public static OptimizerOptions Sgd(double learningRate) => new(OptimizerKind.Sgd, learningRate, 0, 0, 0, 1e-8);

    /// <summary>SGD with momentum μ: v ← μv − η∇w; w ← w + v.</summary>
    public static OptimizerOptions Momentum(double learningRate, double momentum = 0.9) => new(OptimizerKind.Momentum, learningRate, momentum, 0, 0, 1e-8);

    /// <summary>Adam (Kingma and Ba) with the usual defaults.</summary>
    public static OptimizerOptions Adam(double learningRate = 1e-3, double beta1 = 0.9, double beta2 = 0.999, double epsilon = 1e-8)
        => new(OptimizerKind.Adam, learningRate, 0, beta1, beta2, epsilon);

    private static void RequirePositive(double value, string name)
    {
        if (!(value > 0) || !double.IsFinite(value))
            throw new ArgumentOutOfRangeException(name, value, $"The {name} must be a positive finite number, got {value}.");
    }

    private static void RequireFraction(double value, string name)
    {
        if (!(value >= 0 && value < 1))
            throw new ArgumentOutOfRangeException(name, value, $"The {name} must lie in [0, 1), got {value}.");
    }
}
