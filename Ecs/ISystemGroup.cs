namespace EcsNeural.Ecs;

/// <summary>
/// What can be read of a <see cref="SystemGroup{T}"/> without knowing its per-frame state type: its name, members and
/// timings. Lets code that installs systems into any host group (whatever its <c>T</c>) hand the group back.
/// </summary>
public interface ISystemGroup
{
    /// <summary>The group's name.</summary>
    string Name { get; }

    /// <summary>The members in resolved update order.</summary>
    IReadOnlyList<object> Systems { get; }

    /// <summary>Per-member timings of the most recent frame, in update order.</summary>
    IReadOnlyList<SystemTiming> Timings { get; }
}
