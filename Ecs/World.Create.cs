using System.Runtime.CompilerServices;

namespace EcsNeural.Ecs;

// Create with initial components, one method per component count.
public sealed partial class World
{
    /// <summary>Creates an entity with the given components.</summary>
    /// <exception cref="ArgumentException">A component type is listed twice.</exception>
    /// <exception cref="InvalidOperationException">Called during a query.</exception>
    public Entity Create<T0>(in T0 c0)
        where T0 : unmanaged
    {
        ReadOnlySpan<int> ids = [ComponentType<T0>.Id];
        Archetype archetype = ArchetypeForCreate(ids);
        Entity entity = CreateIn(archetype, out int row);
        Unsafe.As<byte, T0>(ref archetype.Cell(archetype.ColumnOf(ComponentType<T0>.Id), row)) = c0;
        return entity;
    }

    /// <summary>Creates an entity with the given components.</summary>
    /// <exception cref="ArgumentException">A component type is listed twice.</exception>
    /// <exception cref="InvalidOperationException">Called during a query.</exception>
    public Entity Create<T0, T1>(in T0 c0, in T1 c1)
        where T0 : unmanaged
        where T1 : unmanaged
    {
        ReadOnlySpan<int> ids = [ComponentType<T0>.Id, ComponentType<T1>.Id];
        Archetype archetype = ArchetypeForCreate(ids);
        Entity entity = CreateIn(archetype, out int row);
        Unsafe.As<byte, T0>(ref archetype.Cell(archetype.ColumnOf(ComponentType<T0>.Id), row)) = c0;
        Unsafe.As<byte, T1>(ref archetype.Cell(archetype.ColumnOf(ComponentType<T1>.Id), row)) = c1;
        return entity;
    }

    /// <summary>Creates an entity with the given components.</summary>
    /// <exception cref="ArgumentException">A component type is listed twice.</exception>
    /// <exception cref="InvalidOperationException">Called during a query.</exception>
    public Entity Create<T0, T1, T2>(in T0 c0, in T1 c1, in T2 c2)
        where T0 : unmanaged
        where T1 : unmanaged
        where T2 : unmanaged
    {
        ReadOnlySpan<int> ids = [ComponentType<T0>.Id, ComponentType<T1>.Id, ComponentType<T2>.Id];
        Archetype archetype = ArchetypeForCreate(ids);
        Entity entity = CreateIn(archetype, out int row);
        Unsafe.As<byte, T0>(ref archetype.Cell(archetype.ColumnOf(ComponentType<T0>.Id), row)) = c0;
        Unsafe.As<byte, T1>(ref archetype.Cell(archetype.ColumnOf(ComponentType<T1>.Id), row)) = c1;
        Unsafe.As<byte, T2>(ref archetype.Cell(archetype.ColumnOf(ComponentType<T2>.Id), row)) = c2;
        return entity;
    }

    /// <summary>Creates an entity with the given components.</summary>
    /// <exception cref="ArgumentException">A component type is listed twice.</exception>
    /// <exception cref="InvalidOperationException">Called during a query.</exception>
    public Entity Create<T0, T1, T2, T3>(in T0 c0, in T1 c1, in T2 c2, in T3 c3)
        where T0 : unmanaged
        where T1 : unmanaged
        where T2 : unmanaged
        where T3 : unmanaged
    {
        ReadOnlySpan<int> ids = [ComponentType<T0>.Id, ComponentType<T1>.Id, ComponentType<T2>.Id, ComponentType<T3>.Id];
        Archetype archetype = ArchetypeForCreate(ids);
        Entity entity = CreateIn(archetype, out int row);
        Unsafe.As<byte, T0>(ref archetype.Cell(archetype.ColumnOf(ComponentType<T0>.Id), row)) = c0;
        Unsafe.As<byte, T1>(ref archetype.Cell(archetype.ColumnOf(ComponentType<T1>.Id), row)) = c1;
        Unsafe.As<byte, T2>(ref archetype.Cell(archetype.ColumnOf(ComponentType<T2>.Id), row)) = c2;
        Unsafe.As<byte, T3>(ref archetype.Cell(archetype.ColumnOf(ComponentType<T3>.Id), row)) = c3;
        return entity;
    }
}
