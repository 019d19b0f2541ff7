namespace EcsNeural.Demo.Arena;

/// <summary>Where an agent or a food pellet is, in arena units.</summary>
public struct Position(float x, float y)
{
    public float X = x;
    public float Y = y;
}
