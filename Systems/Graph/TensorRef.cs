using EcsNeural.Components;

namespace EcsNeural.Systems.Graph;

/// <summary>
/// A compiled node's operand or output: where its value and gradient start in the arena, its per-instance shape, whether
/// the backward pass needs its gradient (it is in G′), and — for an operand — whether this node is the first in backward
/// order to write that gradient (the gradient is still zero, so a kernel may overwrite instead of add).
/// </summary>
internal readonly record struct TensorRef(int Value, int Gradient, NodeShape Shape, bool NeedsGradient, bool FirstGradientWriter = false)
{
    public int Length => Shape.Length;
}
