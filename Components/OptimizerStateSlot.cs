namespace EcsNeural.Components;

/// <summary>
/// Where a trainable node's optimizer state lives in the arena, laid out like <see cref="ValueSlot"/>:
/// the velocity for momentum, the first and second moments for Adam; −1 when the optimizer keeps no such state.
/// </summary>
/// <param name="FirstOffset">Velocity (momentum) or first moment (Adam), or −1.</param>
/// <param name="SecondOffset">Second moment (Adam), or −1.</param>
/// <param name="Length">Elements per instance.</param>
public readonly record struct OptimizerStateSlot(int FirstOffset, int SecondOffset, int Length);
