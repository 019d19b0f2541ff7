namespace EcsNeural.Demo.Arena;

/// <summary>
/// Marks an agent entity and links it to its brain: <see cref="BrainSlot"/> is its instance (row) in the
/// population's tensors, and the stable key the arena's order-dependent steps go by (contested food goes to
/// the lowest slot, every run); <see cref="Eaten"/> counts the food it ate.
/// </summary>
public struct Forager(int brainSlot)
{
    public int BrainSlot = brainSlot;
    public int Eaten;
}
