using System.Runtime.InteropServices;

namespace EcsNeural.Ecs.Buffers;

/// <summary>
/// The process-wide pool behind every spilled <see cref="ValueBuffer{T}"/>: a table of slots, each the storage
/// identity of one buffer (its native block of bytes, the block's capacity, whether a world cell owns it) and a
/// generation that its handles must match. Slots live in fixed segments that never move, so a handle is read without
/// a lock while other threads take or return slots; taking and returning go through one lock (rare: spawning,
/// destroying, growing). A returned slot's block is freed and its generation bumped, so every handle still naming it
/// is recognised as released instead of reading memory that now belongs to someone else.
/// </summary>
internal static unsafe class BufferSlots
{
    private const int SegmentBits = 10;
    private const int SegmentSize = 1 << SegmentBits;
    private const int BlockAlignment = 64;

    private static readonly object Gate = new();
    private static Slot[][] _segments = [new Slot[SegmentSize]];
    private static int _used;
    private static int _freeHead = -1;
    private static int _live;
    private static long _liveBytes;

    /// <summary>One buffer's storage.</summary>
    internal struct Slot
    {
        public byte* Data;
        public nuint Capacity;
        public int Generation;
        public int Owned;      // 1 while a world cell owns the slot, 0 while it is loose (a value made outside any world)
        public int NextFree;
    }

    /// <summary>Slots handed out and not returned.</summary>
    public static int Live => Volatile.Read(ref _live);

    /// <summary>Bytes of native blocks the live slots hold.</summary>
    public static long LiveBytes => Interlocked.Read(ref _liveBytes);

    /// <summary>Slot <paramref name="index"/>; its segment never moves.</summary>
    public static ref Slot At(int index) => ref Volatile.Read(ref _segments)[index >> SegmentBits][index & (SegmentSize - 1)];

    /// <summary>Takes a slot without a block; returns its index, its generation in <paramref name="generation"/>.</summary>
    public static int Take(bool owned, out int generation)
    {
        lock (Gate)
        {
            int index;
            if (_freeHead >= 0)
            {
                index = _freeHead;
                _freeHead = At(index).NextFree;
            }
            else
            {
                if (_used == _segments.Length * SegmentSize)
                {
                    Slot[][] grown = new Slot[_segments.Length * 2][];
                    _segments.CopyTo(grown, 0);
                    for (int s = _segments.Length; s < grown.Length; s++)
                        grown[s] = new Slot[SegmentSize];
                    Volatile.Write(ref _segments, grown);
                }
                index = _used++;
                At(index).Generation = 1;
            }
            ref Slot slot = ref At(index);
            slot.Owned = owned ? 1 : 0;
            slot.NextFree = -1;
            _live++;
            generation = slot.Generation;
            return index;
        }
    }

    /// <summary>
    /// Gives the slot a block of at least <paramref name="bytes"/> (rounded up to 64), replacing a smaller one; the old
    /// contents are not kept. Only the slot's holder calls this, so it takes no lock.
    /// </summary>
    public static void Reserve(ref Slot slot, nuint bytes)
    {
        if (slot.Capacity >= bytes)
            return;
        nuint capacity = (bytes + (BlockAlignment - 1)) & ~(nuint)(BlockAlignment - 1);
        byte* block = (byte*)NativeMemory.AlignedAlloc(capacity, BlockAlignment);
        if (slot.Data != null)
            NativeMemory.AlignedFree(slot.Data);
        Interlocked.Add(ref _liveBytes, (long)capacity - (long)slot.Capacity);
        slot.Data = block;
        slot.Capacity = capacity;
    }

    /// <summary>Returns slot <paramref name="index"/> when its generation is still <paramref name="generation"/> (a second return is ignored).</summary>
    public static void Return(int index, int generation)
    {
        lock (Gate)
        {
            ref Slot slot = ref At(index);
            if (slot.Generation != generation)
                return;
            if (slot.Data != null)
            {
                NativeMemory.AlignedFree(slot.Data);
                Interlocked.Add(ref _liveBytes, -(long)slot.Capacity);
            }
            slot.Data = null;
            slot.Capacity = 0;
            slot.Owned = 0;
            slot.Generation = slot.Generation == int.MaxValue ? 1 : slot.Generation + 1;
            slot.NextFree = _freeHead;
            _freeHead = index;
            _live--;
        }
    }
}
