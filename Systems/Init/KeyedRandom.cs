using EcsNeural.Systems.Kernels;

namespace EcsNeural.Systems.Init;

/// <summary>
/// Counter-based random numbers: each draw is a pure function of (seed, key1, key2, counter), so results never depend on
/// call order, thread or worker count, and a run repeats bit for bit. Keys are typically (instance, node) or (entity, step).
/// </summary>
public static class KeyedRandom
{
    /// <summary>A 64-bit hash of the four keys (SplitMix64 finaliser applied in a chain).</summary>
    public static ulong Bits(ulong seed, ulong key1, ulong key2, ulong counter)
    {
        ulong h = Mix(seed + 0x9E3779B97F4A7C15UL);
        h = Mix(h ^ key1);
        h = Mix(h ^ key2);
        return Mix(h ^ counter);
    }

    /// <summary>Uniform on [0, 1), 53 random bits.</summary>
    public static double Uniform(ulong seed, ulong key1, ulong key2, ulong counter)
        => (Bits(seed, key1, key2, counter) >> 11) * (1.0 / (1UL << 53));

    /// <summary>Uniform on [0, 1) as a float: 24 random bits, so every value is exact and 1 is never reached.</summary>
    public static float UniformSingle(ulong seed, ulong key1, ulong key2, ulong counter)
        => (Bits(seed, key1, key2, counter) >> 40) * (1f / (1 << 24));

    /// <summary>Standard normal (Box–Muller on the counters 2·counter and 2·counter+1).</summary>
    public static double Normal(ulong seed, ulong key1, ulong key2, ulong counter)
    {
        double u1 = 1.0 - Uniform(seed, key1, key2, 2 * counter);   // in (0, 1], so the log is finite
        double u2 = Uniform(seed, key1, key2, 2 * counter + 1);
        // Our own log and cos (the C runtime's can round differently from one CPU or library version to the next).
        return Math.Sqrt(-2.0 * ElementMath.Log(u1)) * ElementMath.Cos(2.0 * Math.PI * u2);
    }

    private static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
