namespace EcsNeural.Demo.Arena;

/// <summary>An agent's heading (radians, 0 = +x) and forward speed (arena units per tick).</summary>
public struct Motion(float heading, float speed)
{
    public float Heading = heading;
    public float Speed = speed;
}
