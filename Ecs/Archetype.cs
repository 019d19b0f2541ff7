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
    private readonly int[] _columnByType;

    private readonly int[] _sizes;
    private readonly BufferHooks?[] _hooks;
    private readonly byte[][] _buffers;
    private readonly int[] _offsets;
    private readonly Dictionary<int, Archetype> _addEdges = new();
    private readonly Dictionary<int, Archetype> _removeEdges = new();

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
        _columnByType = new int[maxId + 1];
        Array.Fill(_columnByType, -1);
        _sizes = new int[TypeIds.Length];
        _hooks = new BufferHooks?[TypeIds.Length];
        _buffers = new byte[TypeIds.Length][];
        _offsets = new int[TypeIds.Length];
        for (int c = 0; c < TypeIds.Length; c++)
        {
            _columnByType[TypeIds[c]] = c;
            _sizes[c] = ComponentRegistry.SizeOf(TypeIds[c]);
            _hooks[c] = ComponentRegistry.HooksOf(TypeIds[c]);
            HoldsValueBuffers |= _hooks[c] is not null;
            _buffers[c] = [];
        }
    }

    public int ColumnCount => TypeIds.Length;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int ColumnOf(int typeId) => (uint)typeId < (uint)_columnByType.Length ? _columnByType[typeId] : -1;

    public bool Has(int typeId) => ColumnOf(typeId) >= 0;

    /// <summary>Reference to row 0 of column <paramref name="column"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ref byte ColumnBase(int column) =>
        ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_buffers[column]), _offsets[column]);

    /// <summary>Reference to row 0 of the <typeparamref name="T"/> column; throws when the archetype has none.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ref T ColumnBase<T>() where T : unmanaged
    {
        int column = ColumnOf(ComponentType<T>.Id);
        if (column < 0) ThrowMissingColumn(ComponentType<T>.Id);
        return ref Unsafe.As<byte, T>(ref ColumnBase(column));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ref byte Cell(int column, int row) => ref Unsafe.Add(ref ColumnBase(column), (nint)row * _sizes[column]);

    public int SizeOfColumn(int column) => _sizes[column];

    public Archetype? GetAddEdge(int typeId) => _addEdges.GetValueOrDefault(typeId);

    public Archetype? GetRemoveEdge(int typeId) => _removeEdges.GetValueOrDefault(typeId);

    public void SetAddEdge(int typeId, Archetype target) => _addEdges[typeId] = target;

    public void SetRemoveEdge(int typeId, Archetype target) => _removeEdges[typeId] = target;

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
        for (int c = 0; c < _hooks.Length; c++)
            _hooks[c]?.Release(ref Cell(c, row));
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
        for (int c = 0; c < _buffers.Length; c++)
        {
            int size = _sizes[c];
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
        for (int c = 0; c < _buffers.Length; c++)
        {
            // Pinned (POH) so the aligned offset computed from the address stays valid.
            byte[] buffer = GC.AllocateArray<byte>(newCapacity * _sizes[c] + Alignment, pinned: true);
            int offset = AlignedOffset(buffer);
            int used = Count * _sizes[c];
            if (used > 0)
            {
                Unsafe.CopyBlockUnaligned(
                    ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(buffer), offset), ref ColumnBase(c), (uint)used);
            }
            _buffers[c] = buffer;
            _offsets[c] = offset;
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
