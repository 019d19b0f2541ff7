using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace EcsNeural.Systems.Kernels;

/// <summary>
/// Element-wise transcendental functions over spans, through <see cref="VectorMath"/>: every element goes through the
/// same 64-byte vector code (a span's last partial vector is padded in a stack buffer), so an element's result depends on
/// its value only — not on its position in the span, the span's address, the CPU's vector width or its instruction set.
/// Each function's x and y are the same length and may be the same span.
/// </summary>
public static class ElementMath
{
    /// <summary>y = eˣ.</summary>
    public static void Exp<T>(ReadOnlySpan<T> x, Span<T> y) where T : unmanaged, IFloatingPointIeee754<T> => Map<T, ExpLanes>(x, y);

    /// <summary>y = ln x.</summary>
    public static void Log<T>(ReadOnlySpan<T> x, Span<T> y) where T : unmanaged, IFloatingPointIeee754<T> => Map<T, LogLanes>(x, y);

    /// <summary>y = sin x.</summary>
    public static void Sin<T>(ReadOnlySpan<T> x, Span<T> y) where T : unmanaged, IFloatingPointIeee754<T> => Map<T, SinLanes>(x, y);

    /// <summary>y = cos x.</summary>
    public static void Cos<T>(ReadOnlySpan<T> x, Span<T> y) where T : unmanaged, IFloatingPointIeee754<T> => Map<T, CosLanes>(x, y);

    /// <summary>y = tanh x.</summary>
    public static void Tanh<T>(ReadOnlySpan<T> x, Span<T> y) where T : unmanaged, IFloatingPointIeee754<T> => Map<T, TanhLanes>(x, y);

    /// <summary>y = 1/(1 + e⁻ˣ).</summary>
    public static void Sigmoid<T>(ReadOnlySpan<T> x, Span<T> y) where T : unmanaged, IFloatingPointIeee754<T> => Map<T, SigmoidLanes>(x, y);

    /// <summary>y = log(1 + eˣ).</summary>
    public static void Softplus<T>(ReadOnlySpan<T> x, Span<T> y) where T : unmanaged, IFloatingPointIeee754<T> => Map<T, SoftplusLanes>(x, y);

    /// <summary>eˣ of one value, bit-identical to the span function's result for that value.</summary>
    public static T Exp<T>(T x) where T : unmanaged, IFloatingPointIeee754<T> => One<T, ExpLanes>(x);

    /// <summary>ln x of one value, bit-identical to the span function's result for that value.</summary>
    public static T Log<T>(T x) where T : unmanaged, IFloatingPointIeee754<T> => One<T, LogLanes>(x);

    /// <summary>sin x of one value, bit-identical to the span function's result for that value.</summary>
    public static T Sin<T>(T x) where T : unmanaged, IFloatingPointIeee754<T> => One<T, SinLanes>(x);

    /// <summary>cos x of one value, bit-identical to the span function's result for that value.</summary>
    public static T Cos<T>(T x) where T : unmanaged, IFloatingPointIeee754<T> => One<T, CosLanes>(x);

    /// <summary>tanh x of one value, bit-identical to the span function's result for that value.</summary>
    public static T Tanh<T>(T x) where T : unmanaged, IFloatingPointIeee754<T> => One<T, TanhLanes>(x);

    /// <summary>The sigmoid of one value, bit-identical to the span function's result for that value.</summary>
    public static T Sigmoid<T>(T x) where T : unmanaged, IFloatingPointIeee754<T> => One<T, SigmoidLanes>(x);

    /// <summary>Softplus of one value, bit-identical to the span function's result for that value.</summary>
    public static T Softplus<T>(T x) where T : unmanaged, IFloatingPointIeee754<T> => One<T, SoftplusLanes>(x);

    [SkipLocalsInit]
    private static void Map<T, TFunction>(ReadOnlySpan<T> x, Span<T> y) where T : unmanaged, IFloatingPointIeee754<T> where TFunction : struct, ILaneFunction
    {
        RequireSupported<T>();
        if (x.Length != y.Length)
            throw new ArgumentException($"ElementMath: x holds {x.Length} elements, y {y.Length}; they must be the same length.", nameof(y));
        int width = Vector512<T>.Count, whole = x.Length - x.Length % width;
        ref T x0 = ref MemoryMarshal.GetReference(x), y0 = ref MemoryMarshal.GetReference(y);
        for (int i = 0; i < whole; i += width)
            Apply<T, TFunction>(Vector512.LoadUnsafe(ref x0, (nuint)i)).StoreUnsafe(ref y0, (nuint)i);
        if (whole == x.Length)
            return;
        // The last partial vector: padded with ones (a value every function takes), computed, and only its valid lanes kept.
        Span<T> tail = stackalloc T[width];
        tail.Fill(T.One);
        x[whole..].CopyTo(tail);
        Apply<T, TFunction>(Vector512.Create((ReadOnlySpan<T>)tail)).CopyTo(tail);
        tail[..(x.Length - whole)].CopyTo(y[whole..]);
    }

    private static T One<T, TFunction>(T x) where T : unmanaged, IFloatingPointIeee754<T> where TFunction : struct, ILaneFunction
    {
        RequireSupported<T>();
        return Apply<T, TFunction>(Vector512.Create(x)).ToScalar();
    }

    private static void RequireSupported<T>()
    {
        if (typeof(T) != typeof(float) && typeof(T) != typeof(double))
            throw new NotSupportedException($"ElementMath runs on float and double, not {typeof(T).Name}.");
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<T> Apply<T, TFunction>(Vector512<T> v) where T : unmanaged, IFloatingPointIeee754<T> where TFunction : struct, ILaneFunction
    {
        if (typeof(T) == typeof(float))
            return TFunction.Apply(v.AsSingle()).As<float, T>();
        if (typeof(T) == typeof(double))
            return TFunction.Apply(v.AsDouble()).As<double, T>();
        throw new NotSupportedException($"ElementMath runs on float and double, not {typeof(T).Name}.");
    }



    /// <summary>One <see cref="VectorMath"/> function, for both element types.</summary>
    private interface ILaneFunction
    {
        static abstract Vector512<float> Apply(Vector512<float> x);
        static abstract Vector512<double> Apply(Vector512<double> x);
    }

    private struct ExpLanes : ILaneFunction
    {
        public static Vector512<float> Apply(Vector512<float> x) => VectorMath.Exp(x);
        public static Vector512<double> Apply(Vector512<double> x) => VectorMath.Exp(x);
    }

    private struct LogLanes : ILaneFunction
    {
        public static Vector512<float> Apply(Vector512<float> x) => VectorMath.Log(x);
        public static Vector512<double> Apply(Vector512<double> x) => VectorMath.Log(x);
    }

    private struct SinLanes : ILaneFunction
    {
        public static Vector512<float> Apply(Vector512<float> x) => VectorMath.Sin(x);
        public static Vector512<double> Apply(Vector512<double> x) => VectorMath.Sin(x);
    }

    private struct CosLanes : ILaneFunction
    {
        public static Vector512<float> Apply(Vector512<float> x) => VectorMath.Cos(x);
        public static Vector512<double> Apply(Vector512<double> x) => VectorMath.Cos(x);
    }

    private struct TanhLanes : ILaneFunction
    {
        public static Vector512<float> Apply(Vector512<float> x) => VectorMath.Tanh(x);
        public static Vector512<double> Apply(Vector512<double> x) => VectorMath.Tanh(x);
    }

    private struct SigmoidLanes : ILaneFunction
    {
        public static Vector512<float> Apply(Vector512<float> x) => VectorMath.Sigmoid(x);
        public static Vector512<double> Apply(Vector512<double> x) => VectorMath.Sigmoid(x);
    }

    private struct SoftplusLanes : ILaneFunction
    {
        public static Vector512<float> Apply(Vector512<float> x) => VectorMath.Softplus(x);
        public static Vector512<double> Apply(Vector512<double> x) => VectorMath.Softplus(x);
    }
}
