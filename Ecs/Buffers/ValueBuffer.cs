using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace EcsNeural.Ecs.Buffers;

/// <summary>
/// A variable-length run of <typeparamref name="T"/> that a component holds, with no fixed cap: up to
/// <see cref="InlineCapacity"/> values live inside the struct (no pointer, no indirection: the component's column holds
/// them), a longer run in a pooled native block the struct refers to. The struct is 128 bytes, two cache lines.
/// </summary>
/// <remarks>
/// <para>
/// A component with buffers implements <see cref="IBufferOwner"/>, and the world manages the storage: a value stored
/// into a cell (<c>Create</c>, <c>Add</c>, <c>Set</c>, a command buffer's playback) becomes the cell's own — storage made
/// outside any world (<c>new Observation(values)</c>) is taken over without a copy, storage another cell owns is copied —
/// and the cell's storage is released when its entity is destroyed, the component removed or overwritten, or the world
/// disposed (<see cref="BufferStorage"/> counts what is held).
/// </para>
/// <para>
/// Writing in place (<see cref="Set"/>, <see cref="AsSpan"/>) is what the cell owns, from any thread that may write the
/// component today; growing takes a lock only when the length exceeds the storage's capacity, and a write of an
/// unchanged length allocates nothing. A copy of a long value refers to the same storage as the cell it was read from,
/// and reading it after that storage was released throws. Replace a whole component value with <c>world.Set</c>, not by
/// assigning through a <c>ref</c> or a chunk's span: an assignment skips the world, so the storage the cell owned is
/// never released.
/// </para>
/// </remarks>
/// <typeparam name="T">The element type.</typeparam>
[StructLayout(LayoutKind.Sequential)]
public struct ValueBuffer<T> : IBufferOwner where T : unmanaged
{
    private InlineBytes _inline;
    private int _length;
    private int _slot;         // slot index + 1; 0 when the buffer has no slot yet
    private int _generation;   // the slot's generation when this handle was made

    /// <summary>Values held inside the struct: <c>116 / sizeof(T)</c> (29 floats); a longer run is spilled to a pooled block.</summary>
    public static int InlineCapacity => InlineBytes.Size / Unsafe.SizeOf<T>();

    /// <summary>Values in use.</summary>
    public readonly int Length => _length;

    /// <summary>Replaces the values with <paramref name="values"/>, of any length; a failed write changes nothing.</summary>
    public void Set(ReadOnlySpan<T> values)
    {
        if (values.Length <= InlineCapacity)
        {
            values.CopyTo(InlineSpan(values.Length));
            _length = values.Length;
            return;
        }
        Span<T> storage = Reserve(values.Length);
        values.CopyTo(storage);
        _length = values.Length;
    }

    /// <summary>The values in use; writes go straight into the component (or its block).</summary>
    /// <exception cref="InvalidOperationException">The buffer is long and its storage was released.</exception>
    [UnscopedRef]
    public Span<T> AsSpan() => _length <= InlineCapacity ? InlineSpan(_length) : Spilled();

    /// <summary>The values in use, read-only.</summary>
    /// <exception cref="InvalidOperationException">The buffer is long and its storage was released.</exception>
    [UnscopedRef]
    public readonly ReadOnlySpan<T> AsReadOnlySpan() =>
        _length <= InlineCapacity
            ? MemoryMarshal.CreateReadOnlySpan(ref Unsafe.As<InlineBytes, T>(ref Unsafe.AsRef(in _inline)), _length)
            : Spilled();

    /// <summary>True when the values are long and the storage they were in has been released.</summary>
    internal readonly bool IsReleased => _length > InlineCapacity && !HoldsLiveSlot();

    /// <summary>
    /// This value was just written into a world cell: make its storage the cell's own. A value without a slot gets one
    /// (so that growing in the cell later grows the cell's own storage); a loose slot is taken over; a slot another cell
    /// owns (this value is a copy) is copied into a new slot.
    /// </summary>
    internal void Adopt()
    {
        if (HoldsLiveSlot())
        {
            ref BufferSlots.Slot slot = ref BufferSlots.At(_slot - 1);
            if (Interlocked.CompareExchange(ref slot.Owned, 1, 0) == 0)
                return;
            CopyToNewSlot(ref slot, owned: true);
            return;
        }
        if (_length > InlineCapacity)
            ThrowReleased();   // the world checks IsReleased first; never store a long value without its values
        _slot = BufferSlots.Take(owned: true, out _generation) + 1;
    }

    /// <summary>
    /// This value is about to be kept outside any world (a command buffer's recording): storage a cell owns is copied into a
    /// loose slot when the values are long, and dropped when they are inline; a loose slot travels with the value.
    /// </summary>
    internal void Detach()
    {
        if (!HoldsLiveSlot())
        {
            _slot = 0;
            return;
        }
        ref BufferSlots.Slot slot = ref BufferSlots.At(_slot - 1);
        if (slot.Owned == 0)
            return;
        if (_length > InlineCapacity)
            CopyToNewSlot(ref slot, owned: false);
        else
            _slot = 0;
    }

    /// <summary>The cell's value leaves the world: its slot goes back to the pool (a handle already released is ignored).</summary>
    internal void Release()
    {
        if (_slot != 0)
            BufferSlots.Return(_slot - 1, _generation);
        _slot = 0;
        _length = 0;
    }

    void IBufferOwner.VisitBuffers<TVisitor>(ref TVisitor visitor) => visitor.Visit(ref this);

    private readonly bool HoldsLiveSlot() => _slot != 0 && BufferSlots.At(_slot - 1).Generation == _generation;

    [UnscopedRef]
    private Span<T> InlineSpan(int length) => MemoryMarshal.CreateSpan(ref Unsafe.As<InlineBytes, T>(ref _inline), length);

    private readonly unsafe Span<T> Spilled()
    {
        if (!HoldsLiveSlot())
            ThrowReleased();
        return new Span<T>(BufferSlots.At(_slot - 1).Data, _length);
    }

    /// <summary>Storage for <paramref name="length"/> spilled values: this buffer's slot (a new loose one if it has none), grown if needed.</summary>
    private unsafe Span<T> Reserve(int length)
    {
        if (!HoldsLiveSlot())
            _slot = BufferSlots.Take(owned: false, out _generation) + 1;
        ref BufferSlots.Slot slot = ref BufferSlots.At(_slot - 1);
        BufferSlots.Reserve(ref slot, (nuint)length * (nuint)Unsafe.SizeOf<T>());
        return new Span<T>(slot.Data, length);
    }

    private unsafe void CopyToNewSlot(ref BufferSlots.Slot source, bool owned)
    {
        int index = BufferSlots.Take(owned, out int generation);
        if (_length > InlineCapacity)
        {
            nuint bytes = (nuint)_length * (nuint)Unsafe.SizeOf<T>();
            ref BufferSlots.Slot copy = ref BufferSlots.At(index);
            BufferSlots.Reserve(ref copy, bytes);
            Buffer.MemoryCopy(source.Data, copy.Data, bytes, bytes);
        }
        _slot = index + 1;
        _generation = generation;
    }

    [DoesNotReturn]
    private readonly void ThrowReleased() => throw new InvalidOperationException(
        $"This ValueBuffer<{typeof(T).Name}> of {_length} values refers to storage that was released: the entity it was read "
        + "from was destroyed, or the component removed or overwritten, or its world disposed, since this copy was taken.");
}
