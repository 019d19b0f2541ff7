using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace EcsNeural.Systems.Kernels;

/// <summary>
/// A <see cref="NumericsMode"/> as a type argument: a kernel generic over it is compiled once per mode, so the mode is
/// chosen once per call and the inner loops carry no test of it.
/// </summary>
internal interface IKernelNumerics
{
    /// <summary>Whether this is <see cref="NumericsMode.Portable"/> (a JIT-time constant).</summary>
    static abstract bool IsPortable { get; }

    static abstract Vector512<T> MultiplyAdd<T>(Vector512<T> a, Vector512<T> b, Vector512<T> c) where T : unmanaged;

    static abstract Vector256<T> MultiplyAdd<T>(Vector256<T> a, Vector256<T> b, Vector256<T> c) where T : unmanaged;

    static abstract Vector128<T> MultiplyAdd<T>(Vector128<T> a, Vector128<T> b, Vector128<T> c) where T : unmanaged;
}

/// <summary><see cref="NumericsMode.Fast"/>: fused multiply-adds where the instruction set has them (<see cref="SimdOps"/>).</summary>
internal readonly struct FastNumerics : IKernelNumerics
{
    public static bool IsPortable => false;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> MultiplyAdd<T>(Vector512<T> a, Vector512<T> b, Vector512<T> c) where T : unmanaged => SimdOps.Fma(a, b, c);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> MultiplyAdd<T>(Vector256<T> a, Vector256<T> b, Vector256<T> c) where T : unmanaged => SimdOps.Fma(a, b, c);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> MultiplyAdd<T>(Vector128<T> a, Vector128<T> b, Vector128<T> c) where T : unmanaged => SimdOps.Fma(a, b, c);
}

/// <summary><see cref="NumericsMode.Portable"/>: every multiply-add fused, on every CPU (<see cref="FusedLanes"/>).</summary>
internal readonly struct PortableNumerics : IKernelNumerics
{
    public static bool IsPortable => true;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> MultiplyAdd<T>(Vector512<T> a, Vector512<T> b, Vector512<T> c) where T : unmanaged => FusedLanes.MultiplyAdd(a, b, c);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> MultiplyAdd<T>(Vector256<T> a, Vector256<T> b, Vector256<T> c) where T : unmanaged => FusedLanes.MultiplyAdd(a, b, c);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> MultiplyAdd<T>(Vector128<T> a, Vector128<T> b, Vector128<T> c) where T : unmanaged => FusedLanes.MultiplyAdd(a, b, c);
}
