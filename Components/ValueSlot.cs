namespace EcsNeural.Components;

/// <summary>
/// Where a node's value lives in its graph's tensor arena: instance i occupies
/// <c>[Offset + i·Length, Offset + (i+1)·Length)</c>. Assigned by the compile system.
/// </summary>
/// <param name="Offset">Arena index of instance 0's first element.</param>
/// <param name="Length">Elements per instance.</param>
public readonly record struct ValueSlot(int Offset, int Length);
