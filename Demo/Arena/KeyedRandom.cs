namespace EcsNeural.Demo.Arena;

/// <summary>
/// Stateless random numbers keyed by (seed, entity, tick, stream): the same key always gives the same
/// value, whatever order or thread asks, which is what keeps the arena deterministic with any worker count.
/// </summary>
public static class KeyedRandom
{
    /// <summary>A 64-bit hash of the key (SplitMix64 finaliser applied to each part in turn).</summary>
    public static ulong Hash(ulong seed, int entity, long tick, int stream)
    {
        ulong h = Mix(seed + 0x9E3779B97F4A7C15UL);
        h = Mix(h ^ (uint)entity);
        h = Mix(h ^ (ulong)tick);
        return Mix(h ^ (uint)stream);
    }

    /// <summary>A float uniformly in [0, 1) for the key.</summary>
    public static float Unit(ulong seed, int entity, long tick, int stream) =>
        (Hash(seed, entity, tick, stream) >> 40) * (1f / (1 << 24));

    /// <summary>A standard normal float for the key (Box–Muller on two keyed uniforms).</summary>
    public static float Normal(ulong seed, int entity, long tick, int stream)
    {
        ulong h = Hash(seed, entity, tick, stream);
        double u1 = ((h >> 11) + 1.0) * (1.0 / (1UL << 53)); // in (0, 1], so the log is finite
        double u2 = (Mix(h) >> 11) * (1.0 / (1UL << 53));
        return (float)(Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2));
    }

    private static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
