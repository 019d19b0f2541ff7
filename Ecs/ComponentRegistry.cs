using EcsNeural.Ecs.Buffers;

namespace EcsNeural.Ecs;

/// <summary>
/// Process-wide table of component types: id → (type, size, buffer hooks). Written only when a type is first used,
/// under a lock; read freely afterwards (ids and entries never change once assigned).
/// </summary>
internal static class ComponentRegistry
{
    private static readonly object Gate = new();
    private static Type[] types = new Type[64];
    private static int[] sizes = new int[64];
    private static BufferHooks?[] hooks = new BufferHooks?[64];
    private static int count;

    public static int Register(Type type, int size)
    {
        BufferHooks? typeHooks = BufferHooks.For(type);
        lock (Gate)
        {
            for (int i = 0; i < count; i++)
            {
                if (types[i] == type) return i;
            }
            if (count == ComponentMask.Capacity)
            {
                throw new InvalidOperationException(
                    $"Cannot register component type {type.FullName}: at most {ComponentMask.Capacity} component types are supported.");
            }
            if (count == types.Length)
            {
                Array.Resize(ref types, count * 2);
                Array.Resize(ref sizes, count * 2);
                Array.Resize(ref hooks, count * 2);
            }
            types[count] = type;
            sizes[count] = size;
            hooks[count] = typeHooks;
            return count++;
        }
    }

    public static int SizeOf(int id) => sizes[id];

    /// <summary>What the world does to the buffers of type <paramref name="id"/> when a value enters or leaves a cell; null for most types.</summary>
    public static BufferHooks? HooksOf(int id) => hooks[id];

    /// <summary>Short type name for exception messages.</summary>
    public static string NameOf(int id) => types[id].Name;
}
