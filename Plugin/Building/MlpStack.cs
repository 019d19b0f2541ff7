using System.Collections.Immutable;
using EcsNeural.Ecs;
using EcsNeural.Systems.Graph;

namespace EcsNeural.Plugin.Building;

/// <summary>An <see cref="Mlp"/>'s layers built on a node: what <see cref="Mlp.Stack"/> made.</summary>
/// <param name="Output">The last layer's output after its unit.</param>
/// <param name="Logits">The last layer's affine output, before its unit (what softmax and sigmoid losses take).</param>
/// <param name="Layers">Each layer's affine output and parameters, input side first.</param>
/// <param name="Units">Each layer's output after its unit, input side first.</param>
internal sealed record MlpStack(Entity Output, Entity Logits, ImmutableArray<DenseLayer> Layers, ImmutableArray<Entity> Units);
