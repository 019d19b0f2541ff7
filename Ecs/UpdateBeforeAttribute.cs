namespace EcsNeural.Ecs;

/// <summary>
/// Declares that the system class runs before every system of type <paramref name="system"/> (or
/// derived from / implementing it; an open generic definition matches each of its constructed types) in the same <see cref="SystemGroup{T}"/>. Ignored when the group
/// holds no such system.
/// </summary>
/// <param name="system">The system type this one must precede.</param>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true)]
public sealed class UpdateBeforeAttribute(Type system) : Attribute
{
    /// <summary>The system type this one must precede.</summary>
    public Type System { get; } = system ?? throw new ArgumentNullException(nameof(system));
}
