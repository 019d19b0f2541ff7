using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace EcsNeural.Ecs;

/// <summary>
/// A run of at most <see cref="Capacity"/> consecutive entities of one archetype, as yielded by
/// <see cref="World.Query(in QueryDescription)"/>. Its spans point straight into the archetype's
/// columns. A chunk stays valid until the next structural change to its archetype; using it after
/// that throws.
/// </summary>
public readonly partial struct Chunk
{
    /// <summary>Most entities in one chunk: a multiple of 64, so every chunk but an archetype's last is exactly padded.</summary>
    public const int Capacity = 4096;

    // GetSpans for 2 to 8 columns at once is generated: Ecs.Generators/ChunkSpansSource.cs.
    private readonly Archetype _archetype;
    private readonly int _start;
    private readonly int _changeVersion;

    internal Chunk(Archetype archetype, int start, int count)
    {
        _archetype = archetype;
        _start = start;
        Count = count;
        _changeVersion = _archetype.ChangeVersion;
    }

    /// <summary>Number of entities in this chunk.</summary>
    public int Count { get; }

    /// <summary>The entities, in the same order as the rows of every span.</summary>
    public ReadOnlySpan<Entity> Entities
    {
        get
        {
            ThrowIfStale();
            return new ReadOnlySpan<Entity>(_archetype.Entities, _start, Count);
        }
    }

    /// <summary>True when the chunk's entities have component <typeparamref name="T"/>.</summary>
    public bool Has<T>() where T : unmanaged => _archetype is not null && _archetype.Has(ComponentType<T>.Id);

    /// <summary>The <typeparamref name="T"/> column of this chunk, <see cref="Count"/> elements long.</summary>
    /// <exception cref="InvalidOperationException">The chunk has no <typeparamref name="T"/>, or is stale.</exception>
    public Span<T> GetSpan<T>() where T : unmanaged => MemoryMarshal.CreateSpan(ref ColumnStart<T>(), Count);

    /// <summary>
    /// The <typeparamref name="T"/> column extended past <see cref="Count"/> to the next multiple of 64
    /// bytes, so it can be processed in whole 512-bit vectors without a remainder loop. The padding
    /// slots belong to no entity: they are zero until something writes through a padded span, their
    /// values are ignored, and they never leak into an entity (adding an entity overwrites its slot).
    /// </summary>
    /// <exception cref="InvalidOperationException">The chunk has no <typeparamref name="T"/>, or is stale.</exception>
    public Span<T> GetPaddedSpan<T>() where T : unmanaged =>
        MemoryMarshal.CreateSpan(ref ColumnStart<T>(), PaddedCount(Count, Unsafe.SizeOf<T>()));

    /// <summary>Smallest count &gt;= <paramref name="count"/> whose byte length is a multiple of 64.</summary>
    internal static int PaddedCount(int count, int elementSize)
    {
        int step = 64 / (int)Math.Min(64u, 1u << System.Numerics.BitOperations.TrailingZeroCount(elementSize));
        return (count + step - 1) / step * step;
    }

    private ref T ColumnStart<T>() where T : unmanaged
    {
        ThrowIfStale();
        int column = _archetype.ColumnOf(ComponentType<T>.Id);
        if (column < 0) ThrowMissing(ComponentType<T>.Id);
        return ref Unsafe.Add(ref Unsafe.As<byte, T>(ref _archetype.ColumnBase(column)), _start);
    }

    private void ThrowIfStale()
    {
        if (_archetype is null) throw new InvalidOperationException("This Chunk is default: chunks come from World.Query(description).");
        if (_archetype.ChangeVersion != _changeVersion)
        {
            throw new InvalidOperationException(
                $"This chunk of archetype {_archetype.Describe()} is stale: entities were created, destroyed or moved since it was obtained.");
        }
    }

    [DoesNotReturn]
    private void ThrowMissing(int typeId) => throw new InvalidOperationException(
        $"This chunk of archetype {_archetype.Describe()} has no {ComponentRegistry.NameOf(typeId)} component.");
}
