namespace EcsNeural.Ecs;

/// <summary>
/// Which entities a query visits: those having all <c>WithAll</c> components, at least one
/// <c>WithAny</c> component (when any are given), and none of the <c>WithNone</c> components.
/// Fluent and immutable: each <c>With*</c> call returns a modified copy. Equal descriptions share one
/// cached query in a <see cref="World"/>, so building a description per frame costs no matching work;
/// keeping it in a static field avoids even the hashing.
/// </summary>
public partial struct QueryDescription : IEquatable<QueryDescription>
{
    internal ComponentMask All;
    internal ComponentMask Any;
    internal ComponentMask None;

    // WithAll, WithAny and WithNone for 1 to 8 types are generated: Ecs.Generators/QueryDescriptionSource.cs.

    /// <summary>True when an archetype with component set <paramref name="mask"/> belongs to this query.</summary>
    internal readonly bool Matches(in ComponentMask mask) =>
        mask.ContainsAll(All) && (Any.IsEmpty || mask.Intersects(Any)) && !mask.Intersects(None);

    /// <inheritdoc/>
    public readonly bool Equals(QueryDescription other) => All.Equals(other.All) && Any.Equals(other.Any) && None.Equals(other.None);

    /// <inheritdoc/>
    public readonly override bool Equals(object? obj) => obj is QueryDescription other && Equals(other);

    /// <inheritdoc/>
    public readonly override int GetHashCode() => HashCode.Combine(All.GetHashCode(), Any.GetHashCode(), None.GetHashCode());

    /// <summary>Value equality.</summary>
    public static bool operator ==(QueryDescription left, QueryDescription right) => left.Equals(right);

    /// <summary>Value inequality.</summary>
    public static bool operator !=(QueryDescription left, QueryDescription right) => !left.Equals(right);
}
