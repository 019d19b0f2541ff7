namespace EcsNeural.Demo.Arena;

/// <summary>
/// What an agent saw this tick: per ray, closeness of the nearest food and of the nearest wall
/// (1 = touching, 0 = nothing within range).
/// </summary>
public struct Sensors
{
    public RayReadings Food;
    public RayReadings Wall;
}
