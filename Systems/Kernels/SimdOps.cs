using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using X86Fma = System.Runtime.Intrinsics.X86.Fma;
using System.Runtime.Intrinsics.X86;

namespace EcsNeural.Systems.Kernels;

/// <summary>
/// Fused multiply-add <c>a·b + c</c> (one rounding) on generic vectors, lowered to the FMA instruction for float
/// and double when the hardware has it; the <c>typeof</c> tests are resolved by the JIT per instantiation.
/// </summary>
internal static class SimdOps
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> Fma<T>(Vector512<T> a, Vector512<T> b, Vector512<T> c) where T : unmanaged
    {
        if (Avx512F.IsSupported)
        {
            if (typeof(T) == typeof(float))
                return Avx512F.FusedMultiplyAdd(a.AsSingle(), b.AsSingle(), c.AsSingle()).As<float, T>();
            if (typeof(T) == typeof(double))
                return Avx512F.FusedMultiplyAdd(a.AsDouble(), b.AsDouble(), c.AsDouble()).As<double, T>();
        }
        return a * b + c;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Fma<T>(Vector256<T> a, Vector256<T> b, Vector256<T> c) where T : unmanaged
    {
        if (X86Fma.IsSupported)
        {
            if (typeof(T) == typeof(float))
                return X86Fma.MultiplyAdd(a.AsSingle(), b.AsSingle(), c.AsSingle()).As<float, T>();
            if (typeof(T) == typeof(double))
                return X86Fma.MultiplyAdd(a.AsDouble(), b.AsDouble(), c.AsDouble()).As<double, T>();
        }
        return a * b + c;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> Fma<T>(Vector128<T> a, Vector128<T> b, Vector128<T> c) where T : unmanaged
    {
        if (X86Fma.IsSupported)
        {
            if (typeof(T) == typeof(float))
                return X86Fma.MultiplyAdd(a.AsSingle(), b.AsSingle(), c.AsSingle()).As<float, T>();
            if (typeof(T) == typeof(double))
                return X86Fma.MultiplyAdd(a.AsDouble(), b.AsDouble(), c.AsDouble()).As<double, T>();
        }
        return a * b + c;
    }
}
