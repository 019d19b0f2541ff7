namespace EcsNeural.Ecs;

/// <summary>
/// Which entities a query visits: those having all <c>WithAll</c> components, at least one
/// <c>WithAny</c> component (when any are given), and none of the <c>WithNone</c> components.
/// Fluent and immutable: each <c>With*</c> call returns a modified copy. Equal descriptions share one
/// cached query in a <see cref="World"/>, so building a description per frame costs no matching work;
/// keeping it in a static field avoids even the hashing.
/// </summary>
public struct QueryDescription : IEquatable<QueryDescription>
{
    internal ComponentMask All;
    internal ComponentMask Any;
    internal ComponentMask None;

    /// <summary>True when an archetype with component set <paramref name="mask"/> belongs to this query.</summary>
    internal readonly bool Matches(in ComponentMask mask) =>
        mask.ContainsAll(All) && (Any.IsEmpty || mask.Intersects(Any)) && !mask.Intersects(None);

    /// <summary>Requires every listed component. Returns a modified copy.</summary>
    public readonly QueryDescription WithAll<T0>()
        where T0 : unmanaged
    {
        QueryDescription copy = this;
        copy.All = All.With(ComponentType<T0>.Id);
        return copy;
    }

    /// <summary>Requires every listed component. Returns a modified copy.</summary>
    public readonly QueryDescription WithAll<T0, T1>()
        where T0 : unmanaged
        where T1 : unmanaged
        => WithAll<T0>().WithAll<T1>();

    /// <summary>Requires every listed component. Returns a modified copy.</summary>
    public readonly QueryDescription WithAll<T0, T1, T2>()
        where T0 : unmanaged
        where T1 : unmanaged
        where T2 : unmanaged
        => WithAll<T0>().WithAll<T1>().WithAll<T2>();

    /// <summary>Requires every listed component. Returns a modified copy.</summary>
    public readonly QueryDescription WithAll<T0, T1, T2, T3>()
        where T0 : unmanaged
        where T1 : unmanaged
        where T2 : unmanaged
        where T3 : unmanaged
        => WithAll<T0>().WithAll<T1>().WithAll<T2>().WithAll<T3>();

    /// <summary>Requires at least one of the listed components (together with any earlier <c>WithAny</c> components). Returns a modified copy.</summary>
    public readonly QueryDescription WithAny<T0>()
        where T0 : unmanaged
    {
        QueryDescription copy = this;
        copy.Any = Any.With(ComponentType<T0>.Id);
        return copy;
    }

    /// <summary>Requires at least one of the listed components (together with any earlier <c>WithAny</c> components). Returns a modified copy.</summary>
    public readonly QueryDescription WithAny<T0, T1>()
        where T0 : unmanaged
        where T1 : unmanaged
        => WithAny<T0>().WithAny<T1>();

    /// <summary>Requires at least one of the listed components (together with any earlier <c>WithAny</c> components). Returns a modified copy.</summary>
    public readonly QueryDescription WithAny<T0, T1, T2>()
        where T0 : unmanaged
        where T1 : unmanaged
        where T2 : unmanaged
        => WithAny<T0>().WithAny<T1>().WithAny<T2>();

    /// <summary>Requires at least one of the listed components (together with any earlier <c>WithAny</c> components). Returns a modified copy.</summary>
    public readonly QueryDescription WithAny<T0, T1, T2, T3>()
        where T0 : unmanaged
        where T1 : unmanaged
        where T2 : unmanaged
        where T3 : unmanaged
        => WithAny<T0>().WithAny<T1>().WithAny<T2>().WithAny<T3>();

    /// <summary>Excludes entities having any of the listed components. Returns a modified copy.</summary>
    public readonly QueryDescription WithNone<T0>()
        where T0 : unmanaged
    {
        QueryDescription copy = this;
        copy.None = None.With(ComponentType<T0>.Id);
        return copy;
    }

    /// <summary>Excludes entities having any of the listed components. Returns a modified copy.</summary>
    public readonly QueryDescription WithNone<T0, T1>()
        where T0 : unmanaged
        where T1 : unmanaged
        => WithNone<T0>().WithNone<T1>();

    /// <summary>Excludes entities having any of the listed components. Returns a modified copy.</summary>
    public readonly QueryDescription WithNone<T0, T1, T2>()
        where T0 : unmanaged
        where T1 : unmanaged
        where T2 : unmanaged
        => WithNone<T0>().WithNone<T1>().WithNone<T2>();

    /// <summary>Excludes entities having any of the listed components. Returns a modified copy.</summary>
    public readonly QueryDescription WithNone<T0, T1, T2, T3>()
        where T0 : unmanaged
        where T1 : unmanaged
        where T2 : unmanaged
        where T3 : unmanaged
        => WithNone<T0>().WithNone<T1>().WithNone<T2>().WithNone<T3>();

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
