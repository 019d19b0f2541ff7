using System.Text.Json.Serialization;

namespace EcsNeural.Benchmarks;

/// <summary>One row of the results, serialised exactly as DESIGN.md's JSON shape.</summary>
public sealed record BenchmarkResult(
    [property: JsonPropertyName("workload")] string Workload,
    [property: JsonPropertyName("impl")] string Impl,
    [property: JsonPropertyName("ms_median")] double MsMedian,
    [property: JsonPropertyName("ms_min")] double MsMin,
    [property: JsonPropertyName("ms_max")] double MsMax,
    [property: JsonPropertyName("gflops")] double Gflops,
    [property: JsonPropertyName("alloc_bytes_per_step")] double? AllocBytesPerStep)
{
    /// <summary>Extra spinning threads (<c>--busy-threads</c>) while this row was timed; 0 for a quiet row.</summary>
    [JsonPropertyName("busy_threads")]
    public int BusyThreads { get; init; }
}
