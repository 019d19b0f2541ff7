using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace EcsNeural.Systems.Kernels;

/// <summary>
/// The vector one interleaved group of instances fills (its lanes are the group's instances), as a struct type argument,
/// so a kernel written once compiles to 512-bit code on an AVX-512 CPU and to 256-bit code on an AVX2 one.
/// </summary>
internal interface ILaneVector<T, TVector> where T : unmanaged, IFloatingPointIeee754<T> where TVector : struct
{
    /// <summary>Lanes of the vector: instances of a group.</summary>
    static abstract int Count { get; }
    static abstract TVector Zero { get; }
    static abstract TVector Broadcast(T value);
    /// <summary>Element <paramref name="element"/> of a group laid out <c>[element][lane]</c> at <paramref name="group"/>.</summary>
    static abstract TVector Load(ref T group, int element);
    static abstract void Store(TVector value, ref T group, int element);
    /// <summary>a·b + c, fused where the CPU can (as the contiguous kernels' fast numerics).</summary>
    static abstract TVector MultiplyAdd(TVector a, TVector b, TVector c);
    static abstract TVector Add(TVector a, TVector b);
    static abstract TVector Subtract(TVector a, TVector b);
    static abstract TVector Multiply(TVector a, TVector b);
    static abstract TVector Divide(TVector a, TVector b);
    static abstract TVector Sqrt(TVector a);
}

/// <summary>Groups of 16 floats or 8 doubles.</summary>
internal readonly struct Lanes512<T> : ILaneVector<T, Vector512<T>> where T : unmanaged, IFloatingPointIeee754<T>
{
    public static int Count => Vector512<T>.Count;
    public static Vector512<T> Zero => Vector512<T>.Zero;
    public static Vector512<T> Broadcast(T value) => Vector512.Create(value);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> Load(ref T group, int element) => Vector512.LoadUnsafe(ref group, (nuint)(element * Vector512<T>.Count));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Vector512<T> value, ref T group, int element) => value.StoreUnsafe(ref group, (nuint)(element * Vector512<T>.Count));
    public static Vector512<T> MultiplyAdd(Vector512<T> a, Vector512<T> b, Vector512<T> c) => SimdOps.Fma(a, b, c);
    public static Vector512<T> Add(Vector512<T> a, Vector512<T> b) => a + b;
    public static Vector512<T> Subtract(Vector512<T> a, Vector512<T> b) => a - b;
    public static Vector512<T> Multiply(Vector512<T> a, Vector512<T> b) => a * b;
    public static Vector512<T> Divide(Vector512<T> a, Vector512<T> b) => a / b;
    public static Vector512<T> Sqrt(Vector512<T> a) => Vector512.Sqrt(a);
}

/// <summary>Groups of 8 floats or 4 doubles.</summary>
internal readonly struct Lanes256<T> : ILaneVector<T, Vector256<T>> where T : unmanaged, IFloatingPointIeee754<T>
{
    public static int Count => Vector256<T>.Count;
    public static Vector256<T> Zero => Vector256<T>.Zero;
    public static Vector256<T> Broadcast(T value) => Vector256.Create(value);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Load(ref T group, int element) => Vector256.LoadUnsafe(ref group, (nuint)(element * Vector256<T>.Count));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Vector256<T> value, ref T group, int element) => value.StoreUnsafe(ref group, (nuint)(element * Vector256<T>.Count));
    public static Vector256<T> MultiplyAdd(Vector256<T> a, Vector256<T> b, Vector256<T> c) => SimdOps.Fma(a, b, c);
    public static Vector256<T> Add(Vector256<T> a, Vector256<T> b) => a + b;
    public static Vector256<T> Subtract(Vector256<T> a, Vector256<T> b) => a - b;
    public static Vector256<T> Multiply(Vector256<T> a, Vector256<T> b) => a * b;
    public static Vector256<T> Divide(Vector256<T> a, Vector256<T> b) => a / b;
    public static Vector256<T> Sqrt(Vector256<T> a) => Vector256.Sqrt(a);
}
