namespace EcsNeural.Demo.Arena;

/// <summary>
/// Everything that shapes one arena: its size grows with the agent count so the food per agent and
/// the crowding stay the same from 16 to 10,000 agents. Units are arena units per tick.
/// </summary>
public sealed record ArenaConfig
{
    /// <summary>Most agents the demo supports.</summary>
    public const int MaxAgents = 10_000;

    /// <summary>Simulated ticks per second; food rates are reported per simulated minute.</summary>
    public const int TicksPerSecond = 60;

    public int Agents { get; init; } = 512;
    public ulong Seed { get; init; } = 1;
    public int Rays { get; init; } = 9;
    /// <summary>Half the field of view, radians; rays are spread evenly over [-FieldOfView, +FieldOfView].</summary>
    public float FieldOfView { get; init; } = MathF.PI * 0.6f;
    public float SensorRange { get; init; } = 180f;
    public float AreaPerAgent { get; init; } = 45f * 45f;
    public float FoodPerAgent { get; init; } = 0.5f;
    public float AgentRadius { get; init; } = 4f;
    public float EatRadius { get; init; } = 4.5f;
    public float MaxSpeed { get; init; } = 2.5f;
    /// <summary>Largest heading change per tick, radians.</summary>
    public float MaxTurn { get; init; } = 0.15f;
    /// <summary>Standard deviation of the random heading change per tick, radians.</summary>
    public float MotorNoise { get; init; } = 0.04f;
    /// <summary>How fast speed follows the thrust command (fraction of the gap closed per tick).</summary>
    public float Acceleration { get; init; } = 0.15f;

    /// <summary>Side length of the square arena.</summary>
    public float Size => MathF.Sqrt(Agents * AreaPerAgent);

    /// <summary>Number of food pellets; eaten ones respawn at once, so this stays constant.</summary>
    public int FoodCount => Math.Max(1, (int)(Agents * FoodPerAgent));

    /// <summary>Observation width: food and wall reading per ray, plus the agent's own speed.</summary>
    public int ObservationSize => 2 * Rays + 1;

    /// <summary>Action width: turn in [-1, 1] and thrust in [-1, 1] (mapped to [0, max speed]).</summary>
    public const int ActionSize = 2;

    /// <summary>Throws a clear exception naming the first field that is out of range.</summary>
    public void Validate()
    {
        if (Agents < 1 || Agents > MaxAgents)
            throw new ArgumentOutOfRangeException(nameof(Agents), Agents, $"agents must be in [1, {MaxAgents}]");
        if (Rays < 2 || Rays > RayReadings.Capacity)
            throw new ArgumentOutOfRangeException(nameof(Rays), Rays, $"rays must be in [2, {RayReadings.Capacity}]");
        if (MaxSpeed >= 2 * AgentRadius)
            throw new ArgumentOutOfRangeException(nameof(MaxSpeed), MaxSpeed,
                "max speed must stay below the agent's diameter, or agents could step through walls");
        if (SensorRange <= 0 || AreaPerAgent <= 0 || FoodPerAgent <= 0 || EatRadius <= 0 || MaxTurn <= 0)
            throw new ArgumentException("sensor range, area per agent, food per agent, eat radius and max turn must be positive");
    }

    /// <summary>Angle of ray <paramref name="ray"/> relative to the heading.</summary>
    public float RayAngle(int ray) => -FieldOfView + 2 * FieldOfView * ray / (Rays - 1);
}
