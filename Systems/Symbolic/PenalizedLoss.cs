using EcsNeural.Ecs;

namespace EcsNeural.Systems.Symbolic;

/// <summary>The nodes of a gradient penalty made by <see cref="SymbolicGradient.GradientPenalty"/>.</summary>
/// <param name="Total">loss + λ‖∇ₓ loss‖², the scalar to train (set it as the graph's loss).</param>
/// <param name="Penalty">‖∇ₓ loss‖², to watch.</param>
/// <param name="Gradient">∇ₓ loss, shaped like x.</param>
public readonly record struct PenalizedLoss(Entity Total, Entity Penalty, Entity Gradient);
