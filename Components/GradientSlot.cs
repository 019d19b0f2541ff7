namespace EcsNeural.Components;

/// <summary>
/// Where a node's gradient (∂loss/∂value) lives in its graph's tensor arena, laid out like <see cref="ValueSlot"/>.
/// </summary>
/// <param name="Offset">Arena index of instance 0's first element.</param>
/// <param name="Length">Elements per instance.</param>
public readonly record struct GradientSlot(int Offset, int Length);
