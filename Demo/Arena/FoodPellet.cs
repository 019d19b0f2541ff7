namespace EcsNeural.Demo.Arena;

/// <summary>
/// Marks a food pellet entity: <see cref="Index"/> is its fixed key (its row in the food lookup and its key
/// for placement draws), <see cref="Eaten"/> is set by the eating step and cleared when it respawns,
/// <see cref="Respawns"/> counts how often it was eaten and placed anew.
/// </summary>
public struct FoodPellet(int index)
{
    public int Index = index;
    public bool Eaten;
    public int Respawns;
}
