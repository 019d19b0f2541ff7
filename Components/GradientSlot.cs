namespace EcsNeural.Components;

/// <summary>
/// Where a node's gradient (∂loss/∂value) lives in its graph's tensor arena, laid out like <see cref="ValueSlot"/>.
/// Only nodes the backward pass differentiates (G′ and the requested variables) have one.
/// </summary>
/// <param name="Offset">Arena index of instance 0's first element; −1 when the node keeps no gradient in the arena.</param>
/// <param name="Length">Elements per instance.</param>
public readonly record struct GradientSlot(int Offset, int Length);
