namespace EcsNeural.Demo.Arena;

/// <summary>
/// Marks an agent: <see cref="BrainSlot"/> is its row in the population's tensors (also the order in
/// which agents eat, so contested food goes the same way every run); <see cref="Eaten"/> counts food.
/// </summary>
public struct Forager(int brainSlot)
{
    public int BrainSlot = brainSlot;
    public int Eaten;
}
