using EcsNeural.Components;

namespace EcsNeural.Systems.Graph;

/// <summary>
/// A compiled node's operand or output: where its value and gradient start in the arena, its per-instance shape, whether
/// the backward pass needs its gradient (it is in G′), and — for an operand — whether this node must overwrite that
/// gradient instead of adding to it (it writes first, and the gradient was not cleared; see GraphCompiler), and
/// <see cref="AddTo"/>: when this node is not the operand's first writer, <see cref="Gradient"/> is a fresh contribution
/// region and AddTo the operand's gradient, which receives the finished contribution in one addition.
/// </summary>
internal readonly record struct TensorRef(int Value, int Gradient, NodeShape Shape, bool NeedsGradient, bool OverwriteGradient = false, int AddTo = -1)
{
    public int Length => Shape.Length;
}
