using System.Collections.Immutable;
using System.Numerics;
using EcsNeural.Ecs;
using EcsNeural.Systems.Graph;

namespace EcsNeural.Plugin.Building;

/// <summary>The nodes <see cref="Mlp.Build{T}"/> made: where to write inputs and targets and where to read outputs.</summary>
/// <typeparam name="T">The element type, <c>float</c> or <c>double</c>.</typeparam>
/// <param name="Architecture">The description it was built from.</param>
/// <param name="Graph">The graph holding the nodes (all its instances share the architecture).</param>
/// <param name="Input">Input node [batch × input features]; write observations here.</param>
/// <param name="Output">Output of the last unit [batch × output features]; read actions or predictions here.</param>
/// <param name="Target">Target input [batch × output features], or <see cref="Entity.Null"/> without a loss.</param>
/// <param name="Loss">The loss node (the graph's loss), or <see cref="Entity.Null"/>.</param>
/// <param name="Layers">Each layer's affine output and parameters, input side first (a radial basis layer's weights are its centres and it has no bias).</param>
/// <param name="Units">Each layer's output after its unit (the activations to draw), input side first; the last is <paramref name="Output"/>.</param>
public sealed record MlpNetwork<T>(Mlp Architecture, ComputeGraph<T> Graph, Entity Input, Entity Output, Entity Target, Entity Loss,
    ImmutableArray<DenseLayer> Layers, ImmutableArray<Entity> Units) where T : unmanaged, IFloatingPointIeee754<T>;
