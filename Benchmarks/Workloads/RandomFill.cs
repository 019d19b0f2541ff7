namespace EcsNeural.Benchmarks.Workloads;

/// <summary>The workloads' seeded inputs and targets.</summary>
public static class RandomFill
{
    /// <summary>Fills with uniform values in [−scale, scale] from a seeded generator.</summary>
    public static void Uniform(Span<float> values, Random random, float scale)
    {
        for (int i = 0; i < values.Length; i++)
            values[i] = (float)(random.NextDouble() * 2 - 1) * scale;
    }
}
