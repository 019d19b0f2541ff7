using EcsNeural.Ecs;

namespace EcsNeural.Components;

/// <summary>The parent nodes a node reads, in operand order (at most <see cref="MaxArity"/>).</summary>
public readonly record struct NodeInputs
{
    /// <summary>The largest number of inputs any operation takes.</summary>
    public const int MaxArity = 3;

    /// <summary>First operand, or <see cref="Entity.Null"/>.</summary>
    public Entity First { get; init; }
    /// <summary>Second operand, or <see cref="Entity.Null"/>.</summary>
    public Entity Second { get; init; }
    /// <summary>Third operand, or <see cref="Entity.Null"/>.</summary>
    public Entity Third { get; init; }
    /// <summary>How many operands are set.</summary>
    public int Count { get; init; }

    /// <summary>Inputs from a list of parents.</summary>
    public static NodeInputs Of(ReadOnlySpan<Entity> parents)
    {
        if (parents.Length > MaxArity)
            throw new ArgumentException($"A node takes at most {MaxArity} inputs, got {parents.Length}.", nameof(parents));
        return new NodeInputs
        {
            First = parents.Length > 0 ? parents[0] : Entity.Null,
            Second = parents.Length > 1 ? parents[1] : Entity.Null,
            Third = parents.Length > 2 ? parents[2] : Entity.Null,
            Count = parents.Length,
        };
    }

    /// <summary>The operand at <paramref name="index"/> (0-based, below <see cref="Count"/>).</summary>
    public Entity this[int index] => index switch
    {
        0 when Count > 0 => First,
        1 when Count > 1 => Second,
        2 when Count > 2 => Third,
        _ => throw new ArgumentOutOfRangeException(nameof(index), $"Input {index} does not exist; the node has {Count}."),
    };
}
