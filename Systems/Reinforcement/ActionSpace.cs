namespace EcsNeural.Systems.Reinforcement;

/// <summary>What a policy's agents do: <see cref="Continuous"/> actions (a Gaussian over real vectors) or one of several <see cref="Discrete"/> ones.</summary>
public readonly record struct ActionSpace
{
    private ActionSpace(bool discrete, int size)
    {
        IsDiscrete = discrete;
        Size = size;
    }

    /// <summary>True for a choice among <see cref="Size"/> actions, false for a vector of <see cref="Size"/> reals.</summary>
    public bool IsDiscrete { get; }

    /// <summary>Action dimensions (continuous) or the number of actions to choose from (discrete).</summary>
    public int Size { get; }

    /// <summary>
    /// Real-valued actions of <paramref name="dimensions"/> components, sampled from N(μ(s), σ²) with a learned σ. The agent's
    /// <c>AgentAction</c> gets the unclamped sample; clamp it to your actuators' range (the policy learns from what it sampled).
    /// </summary>
    public static ActionSpace Continuous(int dimensions)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(dimensions, 1);
        return new ActionSpace(false, dimensions);
    }

    /// <summary>
    /// One of <paramref name="actions"/> actions (≥ 2), sampled from a softmax over the network's logits, optionally masked by
    /// an <c>ActionMask</c>. The agent's <c>AgentAction</c> gets one value: the chosen action's index.
    /// </summary>
    public static ActionSpace Discrete(int actions)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(actions, 2);
        return new ActionSpace(true, actions);
    }

    /// <summary>Outputs of the network's policy head: μ per dimension, or a logit per action.</summary>
    public int HeadWidth => Size;

    /// <summary>Values of an agent's <c>AgentAction</c>: the dimensions, or 1 (the index).</summary>
    public int ActionWidth => IsDiscrete ? 1 : Size;

    /// <inheritdoc/>
    public override string ToString() => IsDiscrete ? $"Discrete({Size})" : $"Continuous({Size})";
}
