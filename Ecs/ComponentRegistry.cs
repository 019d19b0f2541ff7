using EcsNeural.Ecs.Buffers;

namespace EcsNeural.Ecs;

/// <summary>
/// Process-wide table of component types: id → (type, size, buffer hooks). Written only when a type is first used,
/// under a lock; read freely afterwards (ids and entries never change once assigned).
/// </summary>
internal static class ComponentRegistry
{
    private static readonly object Gate = new();
    private static Type[] _types = new Type[64];
    private static int[] _sizes = new int[64];
    private static BufferHooks?[] _hooks = new BufferHooks?[64];
    private static int _count;

    public static int Register(Type type, int size)
    {
        BufferHooks? typeHooks = BufferHooks.For(type);
        lock (Gate)
        {
            for (int i = 0; i < _count; i++)
            {
                if (_types[i] == type) return i;
            }
            if (_count == ComponentMask.Capacity)
            {
                throw new InvalidOperationException(
                    $"Cannot register component type {type.FullName}: at most {ComponentMask.Capacity} component types are supported.");
            }
            if (_count == _types.Length)
            {
                Array.Resize(ref _types, _count * 2);
                Array.Resize(ref _sizes, _count * 2);
                Array.Resize(ref _hooks, _count * 2);
            }
            _types[_count] = type;
            _sizes[_count] = size;
            _hooks[_count] = typeHooks;
            return _count++;
        }
    }

    public static int SizeOf(int id) => _sizes[id];

    /// <summary>What the world does to the buffers of type <paramref name="id"/> when a value enters or leaves a cell; null for most types.</summary>
    public static BufferHooks? HooksOf(int id) => _hooks[id];

    /// <summary>Short type name for exception messages.</summary>
    public static string NameOf(int id) => _types[id].Name;
}
