namespace EcsNeural.Demo.Arena;

/// <summary>
/// Marks an agent entity: <see cref="Slot"/> is its stable index in the arena, the key the arena's order-dependent steps
/// go by (contested food goes to the lowest slot, every run) and the order it is bound to its network in;
/// <see cref="Eaten"/> counts the food it ate.
/// </summary>
public struct Forager(int slot)
{
    public int Slot = slot;
    public int Eaten;
}
