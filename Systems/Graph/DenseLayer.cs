using EcsNeural.Ecs;

namespace EcsNeural.Systems.Graph;

/// <summary>The nodes of a dense layer made by <see cref="GraphBuilder.DenseLayer"/>.</summary>
/// <param name="Output">The affine output x·W + b (apply a hidden unit to it).</param>
/// <param name="Weights">W [in × out], trainable.</param>
/// <param name="Bias">b [1 × out], trainable.</param>
public readonly record struct DenseLayer(Entity Output, Entity Weights, Entity Bias);
