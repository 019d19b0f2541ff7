using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using Arm = System.Runtime.Intrinsics.Arm;
using X86Fma = System.Runtime.Intrinsics.X86.Fma;

namespace EcsNeural.Systems.Kernels;

/// <summary>
/// <c>a·b + c</c> rounded once in every lane on every CPU: the FMA instruction where there is one, otherwise the halves of
/// the vector, down to the scalar fused multiply-add (correctly rounded in software). So unlike <see cref="SimdOps"/>, whose
/// fallback rounds twice, the bits never depend on the instruction set. (.NET 8 has no <c>Vector512.FusedMultiplyAdd</c>.)
/// </summary>
internal static class FusedLanes
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> MultiplyAdd<T>(Vector512<T> a, Vector512<T> b, Vector512<T> c) where T : unmanaged
    {
        if (Avx512F.IsSupported && IsFloatOrDouble<T>())
            return SimdOps.Fma(a, b, c);   // the instruction
        return Vector512.Create(MultiplyAdd(a.GetLower(), b.GetLower(), c.GetLower()), MultiplyAdd(a.GetUpper(), b.GetUpper(), c.GetUpper()));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> MultiplyAdd<T>(Vector256<T> a, Vector256<T> b, Vector256<T> c) where T : unmanaged
    {
        if (X86Fma.IsSupported && IsFloatOrDouble<T>())
            return SimdOps.Fma(a, b, c);   // the instruction
        return Vector256.Create(MultiplyAdd(a.GetLower(), b.GetLower(), c.GetLower()), MultiplyAdd(a.GetUpper(), b.GetUpper(), c.GetUpper()));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> MultiplyAdd<T>(Vector128<T> a, Vector128<T> b, Vector128<T> c) where T : unmanaged
    {
        if (X86Fma.IsSupported && IsFloatOrDouble<T>())
            return SimdOps.Fma(a, b, c);   // the instruction
        if (Arm.AdvSimd.IsSupported && typeof(T) == typeof(float))
            return Arm.AdvSimd.FusedMultiplyAdd(c.AsSingle(), a.AsSingle(), b.AsSingle()).As<float, T>();
        if (Arm.AdvSimd.Arm64.IsSupported && typeof(T) == typeof(double))
            return Arm.AdvSimd.Arm64.FusedMultiplyAdd(c.AsDouble(), a.AsDouble(), b.AsDouble()).As<double, T>();
        return Scalar(a, b, c);
    }

    /// <summary>The element types with a fused multiply-add instruction (others go down to <see cref="Scalar{T}"/>, which refuses them).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool IsFloatOrDouble<T>() => typeof(T) == typeof(float) || typeof(T) == typeof(double);

    /// <summary>Lane by lane through the scalar fused multiply-add, which is correctly rounded with or without the instruction.</summary>
    private static Vector128<T> Scalar<T>(Vector128<T> a, Vector128<T> b, Vector128<T> c) where T : unmanaged
    {
        Vector128<T> result = c;
        for (int l = 0; l < Vector128<T>.Count; l++)
        {
            if (typeof(T) == typeof(float))
                result = result.WithElement(l, Unsafe.BitCast<float, T>(MathF.FusedMultiplyAdd(
                    Unsafe.BitCast<T, float>(a.GetElement(l)), Unsafe.BitCast<T, float>(b.GetElement(l)), Unsafe.BitCast<T, float>(c.GetElement(l)))));
            else if (typeof(T) == typeof(double))
                result = result.WithElement(l, Unsafe.BitCast<double, T>(Math.FusedMultiplyAdd(
                    Unsafe.BitCast<T, double>(a.GetElement(l)), Unsafe.BitCast<T, double>(b.GetElement(l)), Unsafe.BitCast<T, double>(c.GetElement(l)))));
            else
                throw new NotSupportedException($"FusedLanes runs on float and double, not {typeof(T).Name}.");
        }
        return result;
    }
}
