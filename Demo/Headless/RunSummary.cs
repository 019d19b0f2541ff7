using System.Text.Json.Serialization;

namespace EcsNeural.Demo.Headless;

/// <summary>What a headless run writes to summary.json.</summary>
public sealed record RunSummary(
    [property: JsonPropertyName("agents")] int Agents,
    [property: JsonPropertyName("ticks")] long Ticks,
    [property: JsonPropertyName("seed")] ulong Seed,
    [property: JsonPropertyName("workers")] int Workers,
    [property: JsonPropertyName("signal")] string Signal,
    [property: JsonPropertyName("food_rate_early")] double FoodRateEarly,
    [property: JsonPropertyName("food_rate_late")] double FoodRateLate,
    [property: JsonPropertyName("teacher_food_rate")] double TeacherFoodRate,
    [property: JsonPropertyName("first_tick_at_60pct_of_teacher")] long? FirstTickAtSixtyPercentOfTeacher,
    [property: JsonPropertyName("final_loss")] double FinalLoss,
    [property: JsonPropertyName("worst_module_ms")] double WorstModuleMilliseconds,
    [property: JsonPropertyName("mean_module_ms")] double MeanModuleMilliseconds,
    [property: JsonPropertyName("parameter_checksum")] string ParameterChecksum,
    [property: JsonPropertyName("checkpoint")] string CheckpointFile,
    [property: JsonPropertyName("frames")] IReadOnlyList<string> Frames);
