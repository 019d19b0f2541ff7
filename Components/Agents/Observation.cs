namespace EcsNeural.Components.Agents;

/// <summary>
/// What an agent senses this tick, written by host systems and copied by the gather system into its population's
/// observation input (one row per agent). Its length must equal that input's width; a mismatch is an error naming the
/// agent and both sizes.
/// </summary>
public struct Observation
{
    /// <summary>The observed values.</summary>
    public AgentValues Values;

    /// <summary>An observation holding <paramref name="values"/> (at most <see cref="AgentValues.Capacity"/>).</summary>
    public Observation(ReadOnlySpan<float> values) => Values.Set(values);
}
