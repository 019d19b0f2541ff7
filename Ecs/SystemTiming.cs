namespace EcsNeural.Ecs;

/// <summary>Time one system of a <see cref="SystemGroup{T}"/> spent in each phase of the last frame.</summary>
/// <param name="Name">The system's type name, or the group's name for a nested group.</param>
/// <param name="BeforeUpdateMilliseconds">Time in <see cref="ISystem{T}.BeforeUpdate"/>.</param>
/// <param name="UpdateMilliseconds">Time in <see cref="ISystem{T}.Update"/>.</param>
/// <param name="AfterUpdateMilliseconds">Time in <see cref="ISystem{T}.AfterUpdate"/>.</param>
public readonly record struct SystemTiming(
    string Name, double BeforeUpdateMilliseconds, double UpdateMilliseconds, double AfterUpdateMilliseconds)
{
    /// <summary>Sum of the three phases.</summary>
    public double TotalMilliseconds => BeforeUpdateMilliseconds + UpdateMilliseconds + AfterUpdateMilliseconds;
}
