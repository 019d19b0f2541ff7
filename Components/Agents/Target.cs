namespace EcsNeural.Components.Agents;

/// <summary>
/// What the agent's network should have output this tick (supervised training), written by host systems and copied
/// by the gather system into its population's target input. Its length must equal that input's width.
/// </summary>
public struct Target
{
    /// <summary>The target values.</summary>
    public AgentValues Values;

    /// <summary>A target holding <paramref name="values"/> (at most <see cref="AgentValues.Capacity"/>).</summary>
    public Target(ReadOnlySpan<float> values) => Values.Set(values);
}
