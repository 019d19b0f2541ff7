using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using EcsNeural.Ecs.Buffers;

namespace EcsNeural.Ecs;

/// <summary>
/// All entities that have exactly one set of component types. Each component type lives in its own
/// contiguous column (structure of arrays); row <c>i</c> of every column belongs to <c>Entities[i]</c>.
/// Columns are pinned, 64-byte aligned, and their capacity is a multiple of 64 entities, so any
/// chunk's padded span can be read and written with whole 512-bit vectors.
/// </summary>
internal sealed class Archetype
{
    /// <summary>Capacity granularity in entities; 64 entities of any size fill whole 64-byte vectors.</summary>
    public const int CapacityGranularity = 64;

    private const int Alignment = 64;

    public readonly ComponentMask Mask;

    /// <summary>True when a column's component type owns <see cref="ValueBuffer{T}"/>s, whose storage leaves with the row.</summary>
    public readonly bool HoldsValueBuffers;

    /// <summary>Component type ids in ascending order; column <c>c</c> holds type <c>TypeIds[c]</c>.</summary>
    public readonly int[] TypeIds;

    /// <summary>Column index per component type id, -1 when absent. Sized to the largest id present + 1.</summary>
    private readonly int[] columnByType;

    private readonly int[] sizes;
    private readonly BufferHooks?[] hooks;
    private readonly byte[][] buffers;
    private readonly int[] offsets;
    private readonly Dictionary<int, Archetype> addEdges = new();
    private readonly Dictionary<int, Archetype> removeEdges = new();

    public Entity[] Entities = [];
    public int Count;
    public int Capacity;

    /// <summary>Bumped on every row insertion, removal or reallocation, so stale chunks are detected.</summary>
    public int ChangeVersion;

    public Archetype(in ComponentMask mask)
    {
        Mask = mask;
        TypeIds = mask.ToIds();
        int maxId = TypeIds.Length == 0 ? -1 : TypeIds[^1];
        columnByType = new int[maxId + 1];
        Array.Fill(columnByType, -1);
        sizes = new int[TypeIds.Length];
        hooks = new BufferHooks?[TypeIds.Length];
        buffers = new byte[TypeIds.Length][];
        offsets = new int[TypeIds.Length];
        for (int c = 0; c < TypeIds.Length; c++)
        {
            columnByType[TypeIds[c]] = c;
            sizes[c] = ComponentRegistry.SizeOf(TypeIds[c]);
            hooks[c] = ComponentRegistry.HooksOf(TypeIds[c]);
            HoldsValueBuffers |= hooks[c] is not null;
            buffers[c] = [];
        }
    }

    public int ColumnCount => TypeIds.Length;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int ColumnOf(int typeId) => (uint)typeId < (uint)columnByType.Length ? columnByType[typeId] : -1;

    public bool Has(int typeId) => ColumnOf(typeId) >= 0;

    /// <summary>Reference to row 0 of column <paramref name="column"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ref byte ColumnBase(int column) =>
        ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(buffers[column]), offsets[column]);

    /// <summary>Reference to row 0 of the <typeparamref name="T"/> column; throws when the archetype has none.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ref T ColumnBase<T>() where T : unmanaged
    {
        int column = ColumnOf(ComponentType<T>.Id);
        if (column < 0) ThrowMissingColumn(ComponentType<T>.Id);
        return ref Unsafe.As<byte, T>(ref ColumnBase(column));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ref byte Cell(int column, int row) => ref Unsafe.Add(ref ColumnBase(column), (nint)row * sizes[column]);

    public int SizeOfColumn(int column) => sizes[column];

    public Archetype? GetAddEdge(int typeId) => addEdges.GetValueOrDefault(typeId);

    public Archetype? GetRemoveEdge(int typeId) => removeEdges.GetValueOrDefault(typeId);

    public void SetAddEdge(int typeId, Archetype target) => addEdges[typeId] = target;

    public void SetRemoveEdge(int typeId, Archetype target) => removeEdges[typeId] = target;

    /// <summary>Appends a row for <paramref name="entity"/>; component cells are left for the caller to fill.</summary>
    public int AddRow(Entity entity)
    {
        if (Count == Capacity) Grow();
        Entities[Count] = entity;
        ChangeVersion++;
        return Count++;
    }

    /// <summary>Releases the buffer storage the components of <paramref name="row"/> own (before the row is destroyed).</summary>
    public void ReleaseValueBuffers(int row)
    {
        for (int c = 0; c < hooks.Length; c++)
            hooks[c]?.Release(ref Cell(c, row));
    }

    /// <summary>Releases the buffer storage of every row (the world is being disposed).</summary>
    public void ReleaseAllValueBuffers()
    {
        for (int row = 0; row < Count; row++)
            ReleaseValueBuffers(row);
    }

    /// <summary>
    /// Removes <paramref name="row"/> by moving the last row into it. Returns the entity that moved
    /// (whose row is now <paramref name="row"/>) or <see cref="Entity.Null"/> when the last row was removed.
    /// The vacated last slot is zeroed so unused capacity stays zero until written through a padded span.
    /// </summary>
    public Entity RemoveRow(int row)
    {
        int last = Count - 1;
        Entity moved = Entity.Null;
        for (int c = 0; c < buffers.Length; c++)
        {
            int size = sizes[c];
            ref byte lastCell = ref Cell(c, last);
            if (row != last) Unsafe.CopyBlockUnaligned(ref Cell(c, row), ref lastCell, (uint)size);
            Unsafe.InitBlockUnaligned(ref lastCell, 0, (uint)size);
        }
        if (row != last)
        {
            moved = Entities[last];
            Entities[row] = moved;
        }
        Entities[last] = default;
        Count = last;
        ChangeVersion++;
        return moved;
    }

    private void Grow()
    {
        int newCapacity = Math.Max(CapacityGranularity, Capacity * 2);
        for (int c = 0; c < buffers.Length; c++)
        {
            // Pinned (POH) so the aligned offset computed from the address stays valid.
            byte[] buffer = GC.AllocateArray<byte>(newCapacity * sizes[c] + Alignment, pinned: true);
            int offset = AlignedOffset(buffer);
            int used = Count * sizes[c];
            if (used > 0)
            {
                Unsafe.CopyBlockUnaligned(
                    ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(buffer), offset), ref ColumnBase(c), (uint)used);
            }
            buffers[c] = buffer;
            offsets[c] = offset;
        }
        Array.Resize(ref Entities, newCapacity);
        Capacity = newCapacity;
        ChangeVersion++;
    }

    private static unsafe int AlignedOffset(byte[] pinnedBuffer)
    {
        nint address = (nint)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(pinnedBuffer));
        return (int)((Alignment - (address & (Alignment - 1))) & (Alignment - 1));
    }

    /// <summary>Type names of this archetype, e.g. <c>{Position, Velocity}</c>, for messages.</summary>
    public string Describe() => "{" + string.Join(", ", TypeIds.Select(ComponentRegistry.NameOf)) + "}";

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void ThrowMissingColumn(int typeId) => throw new InvalidOperationException(
        $"The query reached archetype {Describe()}, which has no {ComponentRegistry.NameOf(typeId)} component. " +
        $"Put every component the iteration reads in the query's WithAll.");
}
