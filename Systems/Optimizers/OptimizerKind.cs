namespace EcsNeural.Systems.Optimizers;

/// <summary>The parameter update rule.</summary>
public enum OptimizerKind
{
    /// <summary>Plain SGD: w ← w − η∇w.</summary>
    Sgd,
    /// <summary>SGD with momentum: v ← μv − η∇w; w ← w + v.</summary>
    Momentum,
    /// <summary>Adam with bias-corrected first and second moments.</summary>
    Adam,
}
