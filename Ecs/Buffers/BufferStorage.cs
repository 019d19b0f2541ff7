namespace EcsNeural.Ecs.Buffers;

/// <summary>
/// What the process holds for spilled <see cref="ValueBuffer{T}"/>s: every world cell of a component that owns buffers
/// has one slot (whatever its length), and a buffer longer than its inline capacity has a native block in its slot.
/// Both counts fall back when entities are destroyed, components removed or overwritten and worlds disposed; a
/// diagnostic for leak checks.
/// </summary>
public static class BufferStorage
{
    /// <summary>Buffer slots in use, process-wide.</summary>
    public static int LiveSlots => BufferSlots.Live;

    /// <summary>Bytes of native storage the slots in use hold, process-wide.</summary>
    public static long LiveBytes => BufferSlots.LiveBytes;
}
