using EcsNeural.Components;

namespace EcsNeural.Systems.Graph;

/// <summary>A compiled node's tensor: where its value and gradient start in the arena, and its per-instance shape.</summary>
internal readonly record struct TensorRef(int Value, int Gradient, NodeShape Shape, bool NeedsGradient)
{
    public int Length => Shape.Length;
}
