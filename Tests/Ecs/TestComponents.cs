namespace EcsNeural.Tests.Ecs;

/// <summary>A component whose value is derived from an integer seed, so a model can predict it.</summary>
public interface ISeeded<TSelf> where TSelf : unmanaged
{
    static abstract TSelf FromSeed(int seed);
}

// Different sizes (1, 2, 4, 4, 8, 8, 12, 40 bytes) so archetype moves exercise every copy width.
public record struct Position(float X, float Y) : ISeeded<Position>
{
    public static Position FromSeed(int seed) => new(seed, -seed);
}

public record struct Velocity(float X, float Y, float Z) : ISeeded<Velocity>
{
    public static Velocity FromSeed(int seed) => new(seed, seed * 2, seed * 3);
}

public record struct Health(int Value) : ISeeded<Health>
{
    public static Health FromSeed(int seed) => new(seed);
}

public record struct Mass(double Value) : ISeeded<Mass>
{
    public static Mass FromSeed(int seed) => new(seed * 0.5);
}

public record struct Flag(byte Value) : ISeeded<Flag>
{
    public static Flag FromSeed(int seed) => new((byte)seed);
}

public record struct Big(long A, long B, long C, long D, long E) : ISeeded<Big>
{
    public static Big FromSeed(int seed) => new(seed, seed + 1L, seed + 2L, seed + 3L, seed + 4L);
}

public record struct Heading(float Angle) : ISeeded<Heading>
{
    public static Heading FromSeed(int seed) => new(seed * 0.25f);
}

public record struct Team(short Id) : ISeeded<Team>
{
    public static Team FromSeed(int seed) => new((short)seed);
}
