using System.Diagnostics.CodeAnalysis;
using System.Reflection;
using System.Runtime.CompilerServices;

namespace EcsNeural.Ecs.Buffers;

/// <summary>
/// What the world does to the buffers of one component type, on a cell given as bytes (the world and command buffers
/// move components by type id). Made once per type when it is registered; types that hold no buffer have none.
/// </summary>
internal abstract class BufferHooks
{
    /// <summary>The hooks of <paramref name="type"/>: null when it holds no buffer.</summary>
    /// <exception cref="InvalidOperationException">The type holds a <see cref="ValueBuffer{T}"/> but is no <see cref="IBufferOwner"/>.</exception>
    [UnconditionalSuppressMessage("AOT", "IL3050", Justification = "Instantiated over component structs the program uses.")]
    [UnconditionalSuppressMessage("Trimming", "IL2055", Justification = "BufferHooks<T> is kept by this reference.")]
    [UnconditionalSuppressMessage("Trimming", "IL2070", Justification = "Only reads field types.")]
    public static BufferHooks? For(Type type)
    {
        if (typeof(IBufferOwner).IsAssignableFrom(type))
            return (BufferHooks)Activator.CreateInstance(typeof(BufferHooks<>).MakeGenericType(type))!;
        if (HoldsBuffer(type))
        {
            throw new InvalidOperationException(
                $"Component type {type.FullName} holds a ValueBuffer but does not implement IBufferOwner, so a world could neither "
                + "give it storage nor release it. Implement IBufferOwner and visit every ValueBuffer field.");
        }
        return null;
    }

    /// <summary>Throws, naming the component, when the value at <paramref name="value"/> holds long values whose storage is gone.</summary>
    public abstract void ThrowIfReleased(ref byte value);

    /// <summary>The value just written at <paramref name="cell"/> takes its storage (see <see cref="ValueBuffer{T}.Adopt"/>).</summary>
    public abstract void Adopt(ref byte cell);

    /// <summary>The value at <paramref name="cell"/> leaves the world; its storage is released.</summary>
    public abstract void Release(ref byte cell);

    /// <summary>The value at <paramref name="value"/> is kept outside any world (see <see cref="ValueBuffer{T}.Detach"/>).</summary>
    public abstract void Detach(ref byte value);

    /// <summary>Overwrites <paramref name="cell"/> with <paramref name="value"/> (which may be the cell itself): the new value takes its storage, then the old one's is released.</summary>
    public abstract void Replace(ref byte cell, ref byte value);

    private static bool HoldsBuffer(Type type)
    {
        if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(ValueBuffer<>))
            return true;
        if (!type.IsValueType || type.IsPrimitive || type.IsEnum || type.IsPointer)
            return false;
        foreach (FieldInfo field in type.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic))
        {
            if (field.FieldType != type && HoldsBuffer(field.FieldType))
                return true;
        }
        return false;
    }
}

/// <summary>The hooks of component type <typeparamref name="TComponent"/>: each visits its buffers on a copy read from the bytes.</summary>
internal sealed class BufferHooks<TComponent> : BufferHooks where TComponent : unmanaged, IBufferOwner
{
    public override void ThrowIfReleased(ref byte value)
    {
        TComponent component = Unsafe.ReadUnaligned<TComponent>(ref value);
        var check = new ReleasedCheck();
        component.VisitBuffers(ref check);
        if (check.Found is { } buffer)
        {
            throw new InvalidOperationException(
                $"Cannot store this {typeof(TComponent).Name}: its {buffer} holds long values whose storage was released (the entity it was "
                + "read from was destroyed, or the component removed or overwritten, or its world disposed). Store a fresh value.");
        }
    }

    public override void Adopt(ref byte cell) => Visit<AdoptVisitor>(ref cell);

    public override void Release(ref byte cell) => Visit<ReleaseVisitor>(ref cell);

    public override void Detach(ref byte value) => Visit<DetachVisitor>(ref value);

    public override void Replace(ref byte cell, ref byte value)
    {
        TComponent incoming = Unsafe.ReadUnaligned<TComponent>(ref value);
        TComponent old = Unsafe.ReadUnaligned<TComponent>(ref cell);
        var adopt = new AdoptVisitor();
        incoming.VisitBuffers(ref adopt);
        Unsafe.WriteUnaligned(ref cell, incoming);
        var release = new ReleaseVisitor();
        old.VisitBuffers(ref release);
    }

    private static void Visit<TVisitor>(ref byte cell) where TVisitor : struct, IBufferVisitor
    {
        TComponent component = Unsafe.ReadUnaligned<TComponent>(ref cell);
        TVisitor visitor = default;
        component.VisitBuffers(ref visitor);
        Unsafe.WriteUnaligned(ref cell, component);
    }

    private struct ReleasedCheck : IBufferVisitor
    {
        public string? Found;

        public void Visit<T>(ref ValueBuffer<T> buffer) where T : unmanaged
        {
            if (Found is null && buffer.IsReleased)
                Found = $"ValueBuffer<{typeof(T).Name}> of {buffer.Length} values";
        }
    }

    private struct AdoptVisitor : IBufferVisitor
    {
        public readonly void Visit<T>(ref ValueBuffer<T> buffer) where T : unmanaged => buffer.Adopt();
    }

    private struct ReleaseVisitor : IBufferVisitor
    {
        public readonly void Visit<T>(ref ValueBuffer<T> buffer) where T : unmanaged => buffer.Release();
    }

    private struct DetachVisitor : IBufferVisitor
    {
        public readonly void Visit<T>(ref ValueBuffer<T> buffer) where T : unmanaged => buffer.Detach();
    }
}
