namespace EcsNeural.Ecs;

/// <summary>
/// Struct body for <see cref="World.InlineQuery{TBody, T0}(in QueryDescription, ref TBody)"/>. Implement it on a struct:
/// the JIT specialises the loop for that struct and inlines <see cref="Update"/>.
/// </summary>
public interface IForEach<T0>
{
    /// <summary>Called once per matching entity with references into its component columns.</summary>
    void Update(Entity entity, ref T0 c0);
}

/// <summary>
/// Struct body for <see cref="World.InlineQuery{TBody, T0, T1}(in QueryDescription, ref TBody)"/>. Implement it on a struct:
/// the JIT specialises the loop for that struct and inlines <see cref="Update"/>.
/// </summary>
public interface IForEach<T0, T1>
{
    /// <summary>Called once per matching entity with references into its component columns.</summary>
    void Update(Entity entity, ref T0 c0, ref T1 c1);
}

/// <summary>
/// Struct body for <see cref="World.InlineQuery{TBody, T0, T1, T2}(in QueryDescription, ref TBody)"/>. Implement it on a struct:
/// the JIT specialises the loop for that struct and inlines <see cref="Update"/>.
/// </summary>
public interface IForEach<T0, T1, T2>
{
    /// <summary>Called once per matching entity with references into its component columns.</summary>
    void Update(Entity entity, ref T0 c0, ref T1 c1, ref T2 c2);
}

/// <summary>
/// Struct body for <see cref="World.InlineQuery{TBody, T0, T1, T2, T3}(in QueryDescription, ref TBody)"/>. Implement it on a struct:
/// the JIT specialises the loop for that struct and inlines <see cref="Update"/>.
/// </summary>
public interface IForEach<T0, T1, T2, T3>
{
    /// <summary>Called once per matching entity with references into its component columns.</summary>
    void Update(Entity entity, ref T0 c0, ref T1 c1, ref T2 c2, ref T3 c3);
}
