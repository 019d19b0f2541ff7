using System.Collections.Immutable;
using EcsNeural.Ecs;

namespace EcsNeural.Systems.Reinforcement;

/// <summary>
/// The nodes of a policy network in one graph (a policy has two: one acting for every agent each tick, one learning from
/// minibatches): raw observations in, the normalisation statistics as constant nodes, the policy head (μ or logits), the
/// learned log σ of a Gaussian policy and the value head.
/// </summary>
/// <param name="Observation">Input [batch × observations], raw as the agents observed.</param>
/// <param name="ObservationCount">Constant [1 × 1]: how many observations the statistics summarise.</param>
/// <param name="ObservationMean">Constant [1 × observations].</param>
/// <param name="ObservationVariance">Constant [1 × observations].</param>
/// <param name="PolicyHead">[batch × actions]: μ (continuous) or logits (discrete).</param>
/// <param name="LogStd">Parameter [1 × actions] of a Gaussian policy, or <see cref="Entity.Null"/>.</param>
/// <param name="Value">[batch × 1]: V(s).</param>
/// <param name="PolicyLayers">The policy network's layer outputs after their units, the normalised observation first and the head last (for drawing).</param>
/// <param name="PolicyWeights">The weights between consecutive <paramref name="PolicyLayers"/>, [in × out] each.</param>
public sealed record PolicyNodes(Entity Observation, Entity ObservationCount, Entity ObservationMean, Entity ObservationVariance,
    Entity PolicyHead, Entity LogStd, Entity Value, ImmutableArray<Entity> PolicyLayers, ImmutableArray<Entity> PolicyWeights);
