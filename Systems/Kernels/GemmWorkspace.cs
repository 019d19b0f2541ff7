namespace EcsNeural.Systems.Kernels;

/// <summary>
/// Per-thread packing buffers for <see cref="PackedGemm"/> (and partials for <see cref="DeepGemm"/>). Allocated on a thread's first large product and
/// kept for the thread's life, so steady-state products allocate nothing.
/// </summary>
internal static class GemmWorkspace<T> where T : unmanaged
{
    [ThreadStatic] private static T[]? _packedA;
    [ThreadStatic] private static T[]? _packedB;
    [ThreadStatic] private static T[]? _partials;

    /// <summary>A buffer of at least <paramref name="length"/> elements for packed panels of A.</summary>
    public static T[] PackedA(int length) => _packedA is { } buffer && buffer.Length >= length ? buffer : _packedA = new T[length];

    /// <summary>A buffer of at least <paramref name="length"/> elements for packed panels of B.</summary>
    public static T[] PackedB(int length) => _packedB is { } buffer && buffer.Length >= length ? buffer : _packedB = new T[length];

    /// <summary>A buffer of at least <paramref name="length"/> elements for <see cref="DeepGemm"/>'s chunk partials.</summary>
    public static T[] Partials(int length) => _partials is { } buffer && buffer.Length >= length ? buffer : _partials = new T[length];
}
