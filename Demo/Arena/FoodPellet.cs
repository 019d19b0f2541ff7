namespace EcsNeural.Demo.Arena;

/// <summary>Marks a food pellet; <see cref="Respawns"/> counts how often it was eaten and placed anew.</summary>
public struct FoodPellet
{
    public int Respawns;
}
