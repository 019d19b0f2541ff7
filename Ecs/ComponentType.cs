using System.Runtime.CompilerServices;
using EcsNeural.Ecs.Buffers;

namespace EcsNeural.Ecs;

/// <summary>
/// Per-type cache of a component's id. The id is assigned on first use of the type (in the
/// order types are first touched) and indexes the bitsets archetypes and queries are matched by.
/// </summary>
/// <typeparam name="T">An unmanaged component struct.</typeparam>
public static class ComponentType<T> where T : unmanaged
{
    /// <summary>Dense id of <typeparamref name="T"/>, unique within the process.</summary>
    public static readonly int Id = ComponentRegistry.Register(typeof(T), Unsafe.SizeOf<T>());

    /// <summary>The buffer hooks of <typeparamref name="T"/>, null when it holds no <see cref="ValueBuffer{T}"/>.</summary>
    internal static readonly BufferHooks? Hooks = ComponentRegistry.HooksOf(Id);
}
