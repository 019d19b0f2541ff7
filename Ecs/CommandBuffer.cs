using System.Buffers;
using System.Runtime.CompilerServices;
using EcsNeural.Ecs.Buffers;

namespace EcsNeural.Ecs;

/// <summary>
/// Records structural changes (and component writes) to apply to a <see cref="World"/> later, e.g.
/// from inside a query or from a job. Playback order is deterministic: commands run sorted by
/// (sort key, insertion order), never grouped by kind, so the result does not depend on which
/// thread recorded first as long as sort keys are derived from the data (an entity or block index).
/// </summary>
/// <remarks>
/// A buffer is not thread-safe: use one buffer per thread or per job block, and play several back
/// together with <see cref="Playback(World, ReadOnlySpan{CommandBuffer})"/>, which orders by
/// (sort key, buffer position, insertion order). Component values are copied into a byte buffer, so
/// recording allocates nothing once the buffer has grown to its working size. A value with long
/// <see cref="ValueBuffer{T}"/>s is copied too: storage a world cell owns is copied when recorded, storage made outside
/// any world travels with the command, and a command that is never applied (cleared, or discarded by a failed playback)
/// releases what it holds.
/// </remarks>
public sealed class CommandBuffer
{
    private static int _lastRoundStamp;

    private Command[] _commands = new Command[64];
    private int _commandCount;
    private byte[] _payload = new byte[1024];
    private int _payloadUsed;

    // Placeholders are Entity(-2 - index, roundStamp). The stamp changes at every playback, so a
    // placeholder from another buffer or an earlier round is rejected instead of misresolved.
    private int _roundStamp = NewRoundStamp();
    private Entity[] _created = new Entity[16];
    private int _createdCount;
    private Entity[] _playedCreated = new Entity[16];
    private int _playedCount;
    private int _playedStamp;

    private enum Kind : byte { Create, Destroy, Add, Remove, Set }

    private struct Command
    {
        public int SortKey;
        public Kind Kind;
        public Entity Entity;
        public int TypeId;
        public int PayloadOffset;
        public bool Applied;
    }

    private struct PlaybackEntry
    {
        public int SortKey;
        public int Buffer;
        public int Index;
    }

    /// <summary>Number of commands recorded and not yet played back.</summary>
    public int Count => _commandCount;

    /// <summary>
    /// Records the creation of an empty entity. Returns a placeholder that later commands of this
    /// buffer (with an equal or larger sort key) may target; it resolves at playback, after which
    /// <see cref="Resolve"/> maps it to the created entity.
    /// </summary>
    public Entity Create(int sortKey)
    {
        if (_createdCount == _created.Length) Array.Resize(ref _created, _createdCount * 2);
        _created[_createdCount] = Entity.Null;
        var placeholder = new Entity(-2 - _createdCount, _roundStamp);
        _createdCount++;
        Append(sortKey, Kind.Create, placeholder, -1);
        return placeholder;
    }

    /// <summary>Records the destruction of <paramref name="entity"/> (an entity or a placeholder of this buffer).</summary>
    public void Destroy(int sortKey, Entity entity) => Append(sortKey, Kind.Destroy, CheckTarget(entity), -1);

    /// <summary>Records adding <paramref name="value"/> as component <typeparamref name="T"/>; the value is copied now.</summary>
    public void Add<T>(int sortKey, Entity entity, in T value) where T : unmanaged =>
        AppendWithValue(sortKey, Kind.Add, CheckTarget(entity), in value);

    /// <summary>Records removing component <typeparamref name="T"/>.</summary>
    public void Remove<T>(int sortKey, Entity entity) where T : unmanaged =>
        Append(sortKey, Kind.Remove, CheckTarget(entity), ComponentType<T>.Id);

    /// <summary>Records overwriting component <typeparamref name="T"/>; the value is copied now.</summary>
    public void Set<T>(int sortKey, Entity entity, in T value) where T : unmanaged =>
        AppendWithValue(sortKey, Kind.Set, CheckTarget(entity), in value);

    /// <summary>Discards every recorded command, releasing the buffer storage of the values not applied.</summary>
    public void Clear()
    {
        for (int i = 0; i < _commandCount; i++)
        {
            ref Command command = ref _commands[i];
            if (!command.Applied && command.PayloadOffset >= 0)
                ComponentRegistry.HooksOf(command.TypeId)?.Release(ref _payload[command.PayloadOffset]);
        }
        _commandCount = 0;
        _payloadUsed = 0;
        _createdCount = 0;
        _roundStamp = NewRoundStamp();
    }

    /// <summary>Applies the recorded commands to <paramref name="world"/> in (sort key, insertion order), then clears the buffer.</summary>
    /// <exception cref="InvalidOperationException">
    /// A command failed (see the inner exception); commands before it stay applied, the rest are
    /// discarded. Also thrown when played back during a query.
    /// </exception>
    /// <exception cref="ObjectDisposedException">The world was disposed; nothing is applied and the buffer keeps its commands.</exception>
    public void Playback(World world)
    {
        CommandBuffer self = this;
        Playback(world, new ReadOnlySpan<CommandBuffer>(in self));
    }

    /// <summary>
    /// Applies the commands of several buffers merged in (sort key, position in <paramref name="buffers"/>,
    /// insertion order), then clears them all. Failure semantics as <see cref="Playback(World)"/>.
    /// </summary>
    public static void Playback(World world, ReadOnlySpan<CommandBuffer> buffers)
    {
        ArgumentNullException.ThrowIfNull(world);
        world.ThrowIfDisposed();
        int total = 0;
        for (int b = 0; b < buffers.Length; b++)
        {
            ArgumentNullException.ThrowIfNull(buffers[b]);
            for (int other = 0; other < b; other++)
            {
                if (ReferenceEquals(buffers[other], buffers[b]))
                {
                    throw new ArgumentException($"The same command buffer appears twice (positions {other} and {b}).", nameof(buffers));
                }
            }
            total += buffers[b]._commandCount;
        }

        PlaybackEntry[] entries = ArrayPool<PlaybackEntry>.Shared.Rent(Math.Max(1, total));
        try
        {
            int n = 0;
            for (int b = 0; b < buffers.Length; b++)
            {
                CommandBuffer buffer = buffers[b];
                for (int i = 0; i < buffer._commandCount; i++)
                {
                    entries[n++] = new PlaybackEntry { SortKey = buffer._commands[i].SortKey, Buffer = b, Index = i };
                }
            }
            Span<PlaybackEntry> order = entries.AsSpan(0, n);
            order.Sort(PlaybackOrder);
            for (int i = 0; i < order.Length; i++)
            {
                buffers[order[i].Buffer].Apply(world, order[i].Index);
            }
        }
        finally
        {
            ArrayPool<PlaybackEntry>.Shared.Return(entries);
            foreach (CommandBuffer buffer in buffers) buffer.FinishRound();
        }
    }

    /// <summary>The entity created for <paramref name="placeholder"/> by this buffer's most recent playback.</summary>
    /// <exception cref="ArgumentException">The placeholder does not come from this buffer's most recent playback.</exception>
    public Entity Resolve(Entity placeholder)
    {
        int index = -2 - placeholder.Id;
        if (placeholder.Version != _playedStamp || index < 0 || index >= _playedCount)
        {
            throw new ArgumentException(
                $"{placeholder} is not a placeholder created by this command buffer before its most recent playback.", nameof(placeholder));
        }
        return _playedCreated[index];
    }

    private void Apply(World world, int index)
    {
        ref Command command = ref _commands[index];
        try
        {
            if (command.Kind == Kind.Create)
            {
                _created[-2 - command.Entity.Id] = world.Create();
                command.Applied = true;
                return;
            }
            Entity target = ResolveForPlayback(command.Entity);
            switch (command.Kind)
            {
                case Kind.Destroy:
                    world.Destroy(target);
                    break;
                case Kind.Add:
                    world.AddCore(target, command.TypeId, ref _payload[command.PayloadOffset]);
                    break;
                case Kind.Remove:
                    world.RemoveCore(target, command.TypeId);
                    break;
                default:
                    world.SetCore(target, command.TypeId, ref _payload[command.PayloadOffset]);
                    break;
            }
            command.Applied = true;
        }
        catch (Exception inner) when (inner is InvalidOperationException or ObjectDisposedException)
        {
            string component = command.TypeId >= 0 ? " " + ComponentRegistry.NameOf(command.TypeId) : "";
            throw new InvalidOperationException(
                $"Command buffer playback failed at command #{index} ({command.Kind}{component}, target {command.Entity}, " +
                $"sort key {command.SortKey}): {inner.Message} Earlier commands stay applied; the rest are discarded.", inner);
        }
    }

    private Entity ResolveForPlayback(Entity entity)
    {
        if (entity.Id >= -1) return entity;
        Entity resolved = _created[-2 - entity.Id];
        if (resolved == Entity.Null)
        {
            throw new InvalidOperationException(
                $"{entity} is created by a command that plays later (its Create has a larger sort key than this command).");
        }
        return resolved;
    }

    private Entity CheckTarget(Entity entity)
    {
        if (entity == Entity.Null) throw new ArgumentException("A command cannot target Entity.Null.", nameof(entity));
        if (entity.Id < -1 && (entity.Version != _roundStamp || -2 - entity.Id >= _createdCount))
        {
            throw new ArgumentException(
                $"{entity} is a placeholder from another command buffer or from one already played back; " +
                "only placeholders this buffer created since its last playback can be targeted.", nameof(entity));
        }
        return entity;
    }

    private void Append(int sortKey, Kind kind, Entity entity, int typeId, int payloadOffset = -1)
    {
        if (_commandCount == _commands.Length) Array.Resize(ref _commands, _commandCount * 2);
        _commands[_commandCount++] = new Command
        {
            SortKey = sortKey, Kind = kind, Entity = entity, TypeId = typeId, PayloadOffset = payloadOffset,
        };
    }

    private void AppendWithValue<T>(int sortKey, Kind kind, Entity entity, in T value) where T : unmanaged
    {
        BufferHooks? hooks = ComponentType<T>.Hooks;
        hooks?.ThrowIfReleased(ref Unsafe.As<T, byte>(ref Unsafe.AsRef(in value)));
        int size = Unsafe.SizeOf<T>();
        if (_payloadUsed + size > _payload.Length) Array.Resize(ref _payload, Math.Max(_payload.Length * 2, _payloadUsed + size));
        Unsafe.WriteUnaligned(ref _payload[_payloadUsed], value);
        hooks?.Detach(ref _payload[_payloadUsed]);
        Append(sortKey, kind, entity, ComponentType<T>.Id, _payloadUsed);
        _payloadUsed += size;
    }

    /// <summary>Ends a recording round: keeps its created entities for <see cref="Resolve"/> and empties the buffer.</summary>
    private void FinishRound()
    {
        (_playedCreated, _created) = (_created, _playedCreated);
        _playedCount = _createdCount;
        _playedStamp = _roundStamp;
        Clear();
    }

    // A static lambda is cached by the compiler, so sorting allocates nothing (a struct IComparer would be boxed).
    private static readonly Comparison<PlaybackEntry> PlaybackOrder = static (x, y) =>
    {
        int c = x.SortKey.CompareTo(y.SortKey);
        if (c != 0) return c;
        c = x.Buffer.CompareTo(y.Buffer);
        return c != 0 ? c : x.Index.CompareTo(y.Index);
    };

    private static int NewRoundStamp() => Interlocked.Increment(ref _lastRoundStamp);
}
