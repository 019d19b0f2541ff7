using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using EcsNeural.Ecs.Buffers;

namespace EcsNeural.Ecs;

// Per-entity component access. The typed methods forward to id-based cores that the CommandBuffer
// also uses, so both paths share one implementation of every check and every archetype move.
public sealed partial class World
{
    /// <summary>Adds component <typeparamref name="T"/> with <paramref name="value"/>, moving the entity to its new archetype.</summary>
    /// <exception cref="InvalidOperationException">The entity is not alive, already has <typeparamref name="T"/>, or called during a query.</exception>
    public void Add<T>(Entity entity, in T value) where T : unmanaged =>
        AddCore(entity, ComponentType<T>.Id, ref Unsafe.As<T, byte>(ref Unsafe.AsRef(in value)));

    /// <summary>Removes component <typeparamref name="T"/>, moving the entity to its new archetype.</summary>
    /// <exception cref="InvalidOperationException">The entity is not alive, has no <typeparamref name="T"/>, or called during a query.</exception>
    public void Remove<T>(Entity entity) where T : unmanaged => RemoveCore(entity, ComponentType<T>.Id);

    /// <summary>
    /// Overwrites the entity's existing <typeparamref name="T"/>. Allowed during queries. For a component with
    /// <see cref="ValueBuffer{T}"/>s the new value takes its storage and the old value's is released.
    /// </summary>
    /// <exception cref="InvalidOperationException">
    /// The entity is not alive or has no <typeparamref name="T"/>, or the value's long buffer storage was released.
    /// </exception>
    public void Set<T>(Entity entity, in T value) where T : unmanaged
    {
        if (ComponentType<T>.Hooks is null)
            Unsafe.As<byte, T>(ref CellOf(entity, ComponentType<T>.Id, Access.Set)) = value;
        else
            SetCore(entity, ComponentType<T>.Id, ref Unsafe.As<T, byte>(ref Unsafe.AsRef(in value)));
    }

    /// <summary>Reference to the entity's <typeparamref name="T"/>; valid until the next structural change.</summary>
    /// <exception cref="InvalidOperationException">The entity is not alive or has no <typeparamref name="T"/>.</exception>
    public ref T Get<T>(Entity entity) where T : unmanaged =>
        ref Unsafe.As<byte, T>(ref CellOf(entity, ComponentType<T>.Id, Access.Get));

    /// <summary>True when the entity has component <typeparamref name="T"/>.</summary>
    /// <exception cref="InvalidOperationException">The entity is not alive.</exception>
    public bool Has<T>(Entity entity) where T : unmanaged =>
        AliveSlot(entity, Access.Has, ComponentType<T>.Id).Archetype!.Has(ComponentType<T>.Id);

    /// <summary>Copies the entity's <typeparamref name="T"/> into <paramref name="value"/> when present.</summary>
    /// <returns>False (and <c>default</c>) when the entity has no <typeparamref name="T"/>.</returns>
    /// <exception cref="InvalidOperationException">The entity is not alive.</exception>
    public bool TryGet<T>(Entity entity, out T value) where T : unmanaged
    {
        ref EntitySlot slot = ref AliveSlot(entity, Access.Get, ComponentType<T>.Id);
        int column = slot.Archetype!.ColumnOf(ComponentType<T>.Id);
        if (column < 0)
        {
            value = default;
            return false;
        }
        value = Unsafe.As<byte, T>(ref slot.Archetype.Cell(column, slot.Row));
        return true;
    }

    internal void AddCore(Entity entity, int typeId, ref byte value)
    {
        ThrowIfStructuralChangeRefused(StructuralChange.Add, entity, typeId);
        ref EntitySlot slot = ref AliveSlot(entity, Access.Add, typeId);
        Archetype source = slot.Archetype!;
        if (source.Has(typeId)) ThrowComponentPresence(entity, Access.Add, typeId);
        BufferHooks? hooks = ComponentRegistry.HooksOf(typeId);
        hooks?.ThrowIfReleased(ref value);

        Archetype target = source.GetAddEdge(typeId) ?? LinkEdge(source, source.Mask.With(typeId), typeId, adding: true);
        int row = MoveRow(ref slot, target);
        ref byte cell = ref target.Cell(target.ColumnOf(typeId), row);
        Unsafe.CopyBlockUnaligned(ref cell, ref value, (uint)ComponentRegistry.SizeOf(typeId));
        hooks?.Adopt(ref cell);
    }

    /// <summary>Overwrites component <paramref name="typeId"/> of an alive entity that has it; buffers as <see cref="Set{T}"/> says.</summary>
    internal void SetCore(Entity entity, int typeId, ref byte value)
    {
        ref byte cell = ref CellOf(entity, typeId, Access.Set);
        BufferHooks? hooks = ComponentRegistry.HooksOf(typeId);
        if (hooks is null)
        {
            Unsafe.CopyBlockUnaligned(ref cell, ref value, (uint)ComponentRegistry.SizeOf(typeId));
            return;
        }
        hooks.ThrowIfReleased(ref value);
        hooks.Replace(ref cell, ref value);
    }

    internal void RemoveCore(Entity entity, int typeId)
    {
        ThrowIfStructuralChangeRefused(StructuralChange.Remove, entity, typeId);
        ref EntitySlot slot = ref AliveSlot(entity, Access.Remove, typeId);
        Archetype source = slot.Archetype!;
        if (!source.Has(typeId)) ThrowComponentPresence(entity, Access.Remove, typeId);
        ComponentRegistry.HooksOf(typeId)?.Release(ref source.Cell(source.ColumnOf(typeId), slot.Row));

        Archetype target = source.GetRemoveEdge(typeId) ?? LinkEdge(source, source.Mask.Without(typeId), typeId, adding: false);
        MoveRow(ref slot, target);
    }

    /// <summary>Reference to the cell holding component <paramref name="typeId"/> of an alive entity that has it.</summary>
    internal ref byte CellOf(Entity entity, int typeId, Access access)
    {
        ref EntitySlot slot = ref AliveSlot(entity, access, typeId);
        int column = slot.Archetype!.ColumnOf(typeId);
        if (column < 0) ThrowComponentPresence(entity, access, typeId);
        return ref slot.Archetype.Cell(column, slot.Row);
    }

    /// <summary>Throws before a create changes anything when <paramref name="value"/>'s long buffer storage was released.</summary>
    private static void CheckStorable<T>(in T value) where T : unmanaged =>
        ComponentType<T>.Hooks?.ThrowIfReleased(ref Unsafe.As<T, byte>(ref Unsafe.AsRef(in value)));

    /// <summary>Writes <paramref name="value"/> into row <paramref name="row"/> of a new entity; a buffer owner takes its storage.</summary>
    private static void Place<T>(Archetype archetype, int row, in T value) where T : unmanaged
    {
        ref byte cell = ref archetype.Cell(archetype.ColumnOf(ComponentType<T>.Id), row);
        Unsafe.As<byte, T>(ref cell) = value;
        ComponentType<T>.Hooks?.Adopt(ref cell);
    }

    private Archetype LinkEdge(Archetype source, in ComponentMask targetMask, int typeId, bool adding)
    {
        Archetype target = GetOrCreateArchetype(targetMask);
        if (adding)
        {
            source.SetAddEdge(typeId, target);
            target.SetRemoveEdge(typeId, source);
        }
        else
        {
            source.SetRemoveEdge(typeId, target);
            target.SetAddEdge(typeId, source);
        }
        return target;
    }

    /// <summary>
    /// Moves the entity in <paramref name="slot"/> to <paramref name="target"/>, copying the components
    /// both archetypes share; returns its new row. A component only the target has is left for the caller.
    /// </summary>
    private int MoveRow(ref EntitySlot slot, Archetype target)
    {
        Archetype source = slot.Archetype!;
        int sourceRow = slot.Row;
        Entity entity = source.Entities[sourceRow];
        int targetRow = target.AddRow(entity);
        for (int c = 0; c < target.ColumnCount; c++)
        {
            int sourceColumn = source.ColumnOf(target.TypeIds[c]);
            if (sourceColumn < 0) continue;
            Unsafe.CopyBlockUnaligned(
                ref target.Cell(c, targetRow), ref source.Cell(sourceColumn, sourceRow), (uint)target.SizeOfColumn(c));
        }
        RemoveFromArchetype(source, sourceRow);
        slot.Archetype = target;
        slot.Row = targetRow;
        return targetRow;
    }

    [DoesNotReturn]
    private static void ThrowComponentPresence(Entity entity, Access access, int typeId)
    {
        string name = ComponentRegistry.NameOf(typeId);
        throw new InvalidOperationException(access == Access.Add
            ? $"Cannot add {name} to {entity}: the entity already has a {name}. Use Set to change its value."
            : $"Cannot {Describe(access, typeId)} {entity}: the entity has no {name} component.");
    }
}
