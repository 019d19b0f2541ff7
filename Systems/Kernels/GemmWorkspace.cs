namespace EcsNeural.Systems.Kernels;

/// <summary>
/// Per-thread packing buffers for <see cref="PackedGemm"/>. Allocated on a thread's first large product and
/// kept for the thread's life, so steady-state products allocate nothing.
/// </summary>
internal static class GemmWorkspace<T> where T : unmanaged
{
    [ThreadStatic] private static T[]? packedA;
    [ThreadStatic] private static T[]? packedB;

    /// <summary>A buffer of at least <paramref name="length"/> elements for packed panels of A.</summary>
    public static T[] PackedA(int length) => packedA is { } buffer && buffer.Length >= length ? buffer : packedA = new T[length];

    /// <summary>A buffer of at least <paramref name="length"/> elements for packed panels of B.</summary>
    public static T[] PackedB(int length) => packedB is { } buffer && buffer.Length >= length ? buffer : packedB = new T[length];
}
