using EcsNeural.Components;
using EcsNeural.Ecs;
using EcsNeural.Systems.Optimizers;

namespace EcsNeural.Systems.Graph;

/// <summary>
/// An optimizer update made a parameter NaN, ±∞ or so large (beyond √MaxValue: ≈ 1.8e19 for float) that its square
/// overflows, or made its optimizer state NaN or ±∞ — the learning rate is too large, or the gradients exploded. The update was refused for the instance block it happened in: those instances' parameters,
/// optimizer state and step counts are as they were before the step. Names the node, the instance and the learning rate.
/// </summary>
public sealed class DivergenceException : Exception
{
    /// <summary>Creates the exception.</summary>
    public DivergenceException(Entity node, OpCode op, int instance, string tensor, OptimizerOptions optimizer, int firstRestored, int endRestored)
        : base($"The {optimizer.Kind} update with learning rate {optimizer.LearningRate:R} made node {node} ({op})'s {tensor} {(tensor == "value" ? "NaN, infinite or beyond √MaxValue" : "NaN or infinite")} "
            + $"for instance {instance}; the step was refused for instances [{firstRestored}, {endRestored}), whose parameters, optimizer state "
            + "and step counts are as before it. Lower the learning rate (or clip the gradients) and step again.")
    {
        Node = node;
        Op = op;
        Instance = instance;
        LearningRate = optimizer.LearningRate;
    }

    /// <summary>The parameter whose update diverged first.</summary>
    public Entity Node { get; }

    /// <summary>That node's operation.</summary>
    public OpCode Op { get; }

    /// <summary>The instance (0-based) where it was found first.</summary>
    public int Instance { get; }

    /// <summary>The learning rate of the refused step.</summary>
    public double LearningRate { get; }
}
