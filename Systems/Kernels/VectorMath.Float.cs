using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace EcsNeural.Systems.Kernels;

/// <summary>
/// Our own transcendental functions on 64-byte vectors, lane by lane. Each lane's result is a function of that lane's
/// value only: the same polynomial and the same sequence of IEEE additions, multiplications, divisions, compares and
/// bit operations run in every lane, with special values handled by per-lane selects, never by a scalar fallback. No
/// fused multiply-add is used (whether one would fuse depends on the CPU), and on CPUs without 512-bit vectors .NET
/// runs <see cref="Vector512{T}"/> as two 256-bit halves, four 128-bit quarters or scalars, which round every lane alike.
/// So a result is the same bits on every CPU, at every position in a span and at every address.
/// </summary>
/// <remarks>
/// Polynomial coefficients are near-minimax fits (least squares in relative error on Chebyshev nodes, at 60-digit
/// precision, then rounded to the element type) made for this file. Accuracy, asserted in <c>Tests/Numerics/ElementMathTests.cs</c>:
/// float results against the double-precision function rounded to float; double results against the C runtime's
/// double functions (themselves within 1 ulp), both over 131,072 samples per range.
/// </remarks>
internal static partial class VectorMath
{
    private const float Log2EF = 1.44269502f;
    private const float Ln2HiF = 0.693359375f;             // ln 2 to 9 bits: n·Ln2Hi is exact for |n| < 2^15
    private const float Ln2LoF = -2.12194442e-4f;          // ln 2 − Ln2Hi
    private const float RoundingMagicF = 12582912f;        // 1.5·2^23: adding it rounds |v| < 2^22 to an integer in the low bits

    /// <summary>eˣ, within 1 ulp; +∞ above 88.72, +0 below −103.97 (subnormal results in between are rounded once).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Exp(Vector512<float> x)
    {
        // x = n·ln 2 + r with |r| ≤ ln 2 / 2, eˣ = 2ⁿ·eʳ. Clamping keeps n in [−151, 128]; NaN passes the clamps untouched.
        Vector512<float> clamped = Vector512.ConditionalSelect(Vector512.GreaterThan(x, Vector512.Create(88.8f)), Vector512.Create(88.8f), x);
        clamped = Vector512.ConditionalSelect(Vector512.LessThan(clamped, Vector512.Create(-105f)), Vector512.Create(-105f), clamped);
        Vector512<float> t = clamped * Vector512.Create(Log2EF) + Vector512.Create(RoundingMagicF);
        Vector512<int> n = t.AsInt32() - Vector512.Create(RoundingMagicF).AsInt32();
        Vector512<float> nf = t - Vector512.Create(RoundingMagicF);
        Vector512<float> r = clamped - nf * Vector512.Create(Ln2HiF);
        r -= nf * Vector512.Create(Ln2LoF);

        // eʳ = 1 + r + r²·Q(r)
        Vector512<float> q = Vector512.Create(1.37514074e-3f);
        q = q * r + Vector512.Create(8.36891588e-3f);
        q = q * r + Vector512.Create(4.16695327e-2f);
        q = q * r + Vector512.Create(1.66665182e-1f);
        q = q * r + Vector512.Create(4.99999881e-1f);
        Vector512<float> p = r * r * q + r + Vector512<float>.One;

        // 2ⁿ as two normal powers of two (n/2 each), so results down to the subnormal range round only once.
        Vector512<int> half = Vector512.ShiftRightArithmetic(n, 1);
        Vector512<float> scaled = p * PowerOfTwo(half) * PowerOfTwo(n - half);
        return Vector512.ConditionalSelect(Vector512.Equals(x, x), scaled, x);
    }

    /// <summary>ln x, within 1 ulp; −∞ at ±0, NaN below 0, +∞ at +∞ (subnormal x included).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Log(Vector512<float> x)
    {
        // x = 2ᵏ·m with m in [√½, √2); ln x = k·ln 2 + ln(1 + f), f = m − 1, through s = f/(2 + f).
        Vector512<float> subnormal = Vector512.LessThan(x, Vector512.Create(1.17549435e-38f));
        Vector512<float> normal = Vector512.ConditionalSelect(subnormal, x * Vector512.Create(8388608f), x);   // ×2^23
        Vector512<int> bits = normal.AsInt32();
        Vector512<int> exponent = Vector512.ShiftRightArithmetic(bits - Vector512.Create(0x3f3504f3), 23);   // 0x3f3504f3 = √½
        Vector512<float> f = (bits - Vector512.ShiftLeft(exponent, 23)).AsSingle() - Vector512<float>.One;
        Vector512<float> k = Vector512.ConvertToSingle(exponent - (subnormal.AsInt32() & Vector512.Create(23)));

        Vector512<float> s = f / (Vector512.Create(2f) + f);
        Vector512<float> z = s * s;
        Vector512<float> poly = Vector512.Create(2.33313680e-1f);
        poly = poly * z + Vector512.Create(2.85507798e-1f);
        poly = poly * z + Vector512.Create(4.00001228e-1f);
        poly = poly * z + Vector512.Create(6.66666687e-1f);
        Vector512<float> halfSquare = Vector512.Create(0.5f) * f * f;
        Vector512<float> y = k * Vector512.Create(Ln2HiF) - ((halfSquare - (s * (halfSquare + z * poly) + k * Vector512.Create(Ln2LoF))) - f);

        y = Vector512.ConditionalSelect(Vector512.Equals(x, Vector512<float>.Zero), Vector512.Create(float.NegativeInfinity), y);
        y = Vector512.ConditionalSelect(Vector512.Equals(x, Vector512.Create(float.PositiveInfinity)), x, y);
        y = Vector512.ConditionalSelect(Vector512.LessThan(x, Vector512<float>.Zero), Vector512.Create(float.NaN), y);
        return Vector512.ConditionalSelect(Vector512.Equals(x, x), y, x);
    }

    /// <summary>sin x, within 1 ulp for |x| ≤ 10⁵ (the reduction by π/2 runs in double precision); NaN at ±∞.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Sin(Vector512<float> x) => SinOrCos(x, 0);

    /// <summary>cos x, within 1 ulp for |x| ≤ 10⁵; NaN at ±∞.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Cos(Vector512<float> x) => SinOrCos(x, 1);

    /// <summary>tanh x, within 1 ulp; ±1 beyond |x| ≈ 9.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Tanh(Vector512<float> x)
    {
        Vector512<float> sign = x & Vector512.Create(-0f);
        Vector512<float> a = Vector512.Abs(x);
        // |x| < 0.625: x + x³·T(x²); beyond: 1 − 2/(e^2|x| + 1), which no longer cancels badly.
        Vector512<float> z = x * x;
        Vector512<float> poly = Vector512.Create(2.13822629e-3f);
        poly = poly * z + Vector512.Create(-8.17178842e-3f);
        poly = poly * z + Vector512.Create(2.16982104e-2f);
        poly = poly * z + Vector512.Create(-5.39462529e-2f);
        poly = poly * z + Vector512.Create(1.33332014e-1f);
        poly = poly * z + Vector512.Create(-3.33333313e-1f);
        Vector512<float> small = Vector512.ConditionalSelect(Vector512.Equals(x, Vector512<float>.Zero), x, x + x * z * poly);   // tanh(−0) = −0
        Vector512<float> large = (Vector512<float>.One - Vector512.Create(2f) / (Exp(a + a) + Vector512<float>.One)) | sign;
        return Vector512.ConditionalSelect(Vector512.LessThan(a, Vector512.Create(0.625f)), small, large);
    }

    /// <summary>The logistic sigmoid 1/(1 + e⁻ˣ), within 2 ulp: e^−|x| never overflows, and x &lt; 0 uses eˣ/(1 + eˣ).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Sigmoid(Vector512<float> x)
    {
        Vector512<float> e = Exp(-Vector512.Abs(x));
        return Vector512.ConditionalSelect(Vector512.LessThan(x, Vector512<float>.Zero), e, Vector512<float>.One) / (Vector512<float>.One + e);
    }

    /// <summary>Softplus log(1 + eˣ) = max(x, 0) + log1p(e^−|x|), within 3 ulp; never overflows.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Softplus(Vector512<float> x)
    {
        Vector512<float> u = Exp(-Vector512.Abs(x));
        // log1p(u) = ln(w)·u/(w − 1) with w = 1 + u (w − 1 is exact, and the quotient cancels w's rounding); u itself when w = 1.
        Vector512<float> w = Vector512<float>.One + u;
        Vector512<float> log1p = Vector512.ConditionalSelect(Vector512.Equals(w, Vector512<float>.One), u, Log(w) * (u / (w - Vector512<float>.One)));
        return Vector512.ConditionalSelect(Vector512.GreaterThan(x, Vector512<float>.Zero), x, Vector512<float>.Zero) + log1p;
    }

    /// <summary>
    /// sin x (<paramref name="quadrantShift"/> 0) or cos x (1, since cos x = sin(x + π/2)). The reduction x = j·π/2 + r runs
    /// in double precision (π/2 split in two, the first 33 bits so j·Q1 is exact for |j| &lt; 2^20); the polynomials in float.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> SinOrCos(Vector512<float> x, int quadrantShift)
    {
        (Vector512<double> lower, Vector512<double> upper) = Vector512.Widen(x);
        (Vector512<double> rLower, Vector512<double> jLower) = ReduceByHalfPi(lower);
        (Vector512<double> rUpper, Vector512<double> jUpper) = ReduceByHalfPi(upper);
        Vector512<float> r = Vector512.Narrow(rLower, rUpper);
        Vector512<float> jf = Vector512.Narrow(jLower, jUpper);   // whole numbers, exact in float for |j| < 2^24
        Vector512<int> quadrant = (jf + Vector512.Create(RoundingMagicF)).AsInt32() - Vector512.Create(RoundingMagicF).AsInt32() + Vector512.Create(quadrantShift);

        Vector512<float> z = r * r;
        Vector512<float> sin = Vector512.Create(2.71800809e-6f);
        sin = sin * z + Vector512.Create(-1.98392983e-4f);
        sin = sin * z + Vector512.Create(8.33332911e-3f);
        sin = sin * z + Vector512.Create(-1.66666672e-1f);
        sin = Vector512.ConditionalSelect(Vector512.Equals(r, Vector512<float>.Zero), r, r + r * z * sin);   // keeps sin(−0) = −0
        Vector512<float> cos = Vector512.Create(-2.72037198e-7f);
        cos = cos * z + Vector512.Create(2.47994321e-5f);
        cos = cos * z + Vector512.Create(-1.38888834e-3f);
        cos = cos * z + Vector512.Create(4.16666679e-2f);
        cos = z * z * cos - Vector512.Create(0.5f) * z + Vector512<float>.One;

        // Quadrant j: sin, cos, −sin, −cos.
        Vector512<float> odd = Vector512.Equals(quadrant & Vector512<int>.One, Vector512<int>.One).AsSingle();
        Vector512<float> y = Vector512.ConditionalSelect(odd, cos, sin);
        return y ^ Vector512.ShiftLeft(quadrant & Vector512.Create(2), 30).AsSingle();
    }

    /// <summary>r = x − j·π/2 with j = round(x·2/π), in double precision.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static (Vector512<double> R, Vector512<double> J) ReduceByHalfPi(Vector512<double> x)
    {
        Vector512<double> j = x * Vector512.Create(TwoOverPi) + Vector512.Create(RoundingMagicD) - Vector512.Create(RoundingMagicD);
        Vector512<double> r = x - j * Vector512.Create(HalfPi1);
        return (r - j * Vector512.Create(HalfPi2Short), j);
    }

    /// <summary>2ⁿ for n in [−126, 127], built from its exponent bits.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> PowerOfTwo(Vector512<int> n) => Vector512.ShiftLeft(n + Vector512.Create(127), 23).AsSingle();
}
