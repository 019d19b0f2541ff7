using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace EcsNeural.Systems.Kernels;

/// <summary>
/// The double-precision lanes of <see cref="VectorMath"/>: the same algorithms with longer polynomials. Bounds are
/// measured against the C runtime's double functions.
/// </summary>
internal static partial class VectorMath
{
    private const double Log2ED = 1.4426950408889634;
    private const double Ln2HiD = 0.6931471805598903;      // ln 2 to 42 bits: n·Ln2Hi is exact for |n| < 2^11
    private const double Ln2LoD = 5.497923018708371e-14;   // ln 2 − Ln2Hi
    private const double RoundingMagicD = 6755399441055744.0;   // 1.5·2^52
    private const double TwoOverPi = 0.6366197723675814;
    private const double HalfPi1 = 1.5707963267341256;           // π/2 to 33 bits: j·HalfPi1 is exact for |j| < 2^20
    private const double HalfPi2Short = 6.077100506506192e-11;   // π/2 − HalfPi1 (enough for float results)
    private const double HalfPi2 = 6.077100506303966e-11;        // the next 33 bits
    private const double HalfPi3 = 2.0222662487959506e-21;       // π/2 − HalfPi1 − HalfPi2

    /// <summary>eˣ, within 1 ulp; +∞ above 709.78, +0 below −745.13.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<double> Exp(Vector512<double> x)
    {
        Vector512<double> clamped = Vector512.ConditionalSelect(Vector512.GreaterThan(x, Vector512.Create(710.0)), Vector512.Create(710.0), x);
        clamped = Vector512.ConditionalSelect(Vector512.LessThan(clamped, Vector512.Create(-746.0)), Vector512.Create(-746.0), clamped);
        Vector512<double> t = clamped * Vector512.Create(Log2ED) + Vector512.Create(RoundingMagicD);
        Vector512<long> n = t.AsInt64() - Vector512.Create(RoundingMagicD).AsInt64();
        Vector512<double> nf = t - Vector512.Create(RoundingMagicD);
        Vector512<double> r = clamped - nf * Vector512.Create(Ln2HiD);
        r -= nf * Vector512.Create(Ln2LoD);

        Vector512<double> q = Vector512.Create(2.50246452096493e-08);
        q = q * r + Vector512.Create(2.7631125446226205e-07);
        q = q * r + Vector512.Create(2.755750728541229e-06);
        q = q * r + Vector512.Create(2.480149034623507e-05);
        q = q * r + Vector512.Create(0.00019841269597118904);
        q = q * r + Vector512.Create(0.0013888888946678828);
        q = q * r + Vector512.Create(0.008333333333451433);
        q = q * r + Vector512.Create(0.04166666666651632);
        q = q * r + Vector512.Create(0.16666666666666483);
        q = q * r + Vector512.Create(0.5000000000000012);
        Vector512<double> p = r * r * q + r + Vector512<double>.One;

        Vector512<long> half = Vector512.ShiftRightArithmetic(n, 1);
        Vector512<double> scaled = p * PowerOfTwo(half) * PowerOfTwo(n - half);
        return Vector512.ConditionalSelect(Vector512.Equals(x, x), scaled, x);
    }

    /// <summary>ln x, within 1 ulp; −∞ at ±0, NaN below 0, +∞ at +∞ (subnormal x included).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<double> Log(Vector512<double> x)
    {
        Vector512<double> subnormal = Vector512.LessThan(x, Vector512.Create(2.2250738585072014e-308));
        Vector512<double> normal = Vector512.ConditionalSelect(subnormal, x * Vector512.Create(4503599627370496.0), x);   // ×2^52
        Vector512<long> bits = normal.AsInt64();
        Vector512<long> exponent = Vector512.ShiftRightArithmetic(bits - Vector512.Create(0x3fe6a09e667f3bcdL), 52);   // √½
        Vector512<double> f = (bits - Vector512.ShiftLeft(exponent, 52)).AsDouble() - Vector512<double>.One;
        Vector512<double> k = Vector512.ConvertToDouble(exponent - (subnormal.AsInt64() & Vector512.Create(52L)));

        Vector512<double> s = f / (Vector512.Create(2.0) + f);
        Vector512<double> z = s * s;
        Vector512<double> poly = Vector512.Create(0.13087217031578988);
        poly = poly * z + Vector512.Create(0.13268712289333262);
        poly = poly * z + Vector512.Create(0.15386242164348365);
        poly = poly * z + Vector512.Create(0.18181795590761907);
        poly = poly * z + Vector512.Create(0.2222222239222216);
        poly = poly * z + Vector512.Create(0.2857142857080112);
        poly = poly * z + Vector512.Create(0.4000000000000088);
        poly = poly * z + Vector512.Create(0.6666666666666666);
        Vector512<double> halfSquare = Vector512.Create(0.5) * f * f;
        Vector512<double> y = k * Vector512.Create(Ln2HiD) - ((halfSquare - (s * (halfSquare + z * poly) + k * Vector512.Create(Ln2LoD))) - f);

        y = Vector512.ConditionalSelect(Vector512.Equals(x, Vector512<double>.Zero), Vector512.Create(double.NegativeInfinity), y);
        y = Vector512.ConditionalSelect(Vector512.Equals(x, Vector512.Create(double.PositiveInfinity)), x, y);
        y = Vector512.ConditionalSelect(Vector512.LessThan(x, Vector512<double>.Zero), Vector512.Create(double.NaN), y);
        return Vector512.ConditionalSelect(Vector512.Equals(x, x), y, x);
    }

    /// <summary>sin x, within 1 ulp for |x| ≤ 100, 2 ulp for |x| ≤ 10⁵; NaN at ±∞.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<double> Sin(Vector512<double> x) => SinOrCos(x, 0);

    /// <summary>cos x, within 1 ulp for |x| ≤ 100, 2 ulp for |x| ≤ 10⁵; NaN at ±∞.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<double> Cos(Vector512<double> x) => SinOrCos(x, 1);

    /// <summary>tanh x, within 2 ulp; ±1 beyond |x| ≈ 19.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<double> Tanh(Vector512<double> x)
    {
        Vector512<double> sign = x & Vector512.Create(-0.0);
        Vector512<double> a = Vector512.Abs(x);
        Vector512<double> z = x * x;
        Vector512<double> poly = Vector512.Create(-2.2674921136208103e-06);
        poly = poly * z + Vector512.Create(1.1783646124124909e-05);
        poly = poly * z + Vector512.Create(-3.661313649244276e-05);
        poly = poly * z + Vector512.Create(9.574290338297516e-05);
        poly = poly * z + Vector512.Create(-0.00023876733931274514);
        poly = poly * z + Vector512.Create(0.0005899482208177509);
        poly = poly * z + Vector512.Create(-0.001455822092786037);
        poly = poly * z + Vector512.Create(0.0035921267035050348);
        poly = poly * z + Vector512.Create(-0.008863235431832796);
        poly = poly * z + Vector512.Create(0.02186948853150126);
        poly = poly * z + Vector512.Create(-0.05396825396812319);
        poly = poly * z + Vector512.Create(0.13333333333333147);
        poly = poly * z + Vector512.Create(-0.3333333333333333);
        Vector512<double> small = Vector512.ConditionalSelect(Vector512.Equals(x, Vector512<double>.Zero), x, x + x * z * poly);   // tanh(−0) = −0
        Vector512<double> large = (Vector512<double>.One - Vector512.Create(2.0) / (Exp(a + a) + Vector512<double>.One)) | sign;
        return Vector512.ConditionalSelect(Vector512.LessThan(a, Vector512.Create(0.625)), small, large);
    }

    /// <summary>The logistic sigmoid, within 2 ulp.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<double> Sigmoid(Vector512<double> x)
    {
        Vector512<double> e = Exp(-Vector512.Abs(x));
        return Vector512.ConditionalSelect(Vector512.LessThan(x, Vector512<double>.Zero), e, Vector512<double>.One) / (Vector512<double>.One + e);
    }

    /// <summary>Softplus max(x, 0) + log1p(e^−|x|), within 3 ulp.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<double> Softplus(Vector512<double> x)
    {
        Vector512<double> u = Exp(-Vector512.Abs(x));
        Vector512<double> w = Vector512<double>.One + u;
        Vector512<double> log1p = Vector512.ConditionalSelect(Vector512.Equals(w, Vector512<double>.One), u, Log(w) * (u / (w - Vector512<double>.One)));
        return Vector512.ConditionalSelect(Vector512.GreaterThan(x, Vector512<double>.Zero), x, Vector512<double>.Zero) + log1p;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<double> SinOrCos(Vector512<double> x, int quadrantShift)
    {
        Vector512<double> t = x * Vector512.Create(TwoOverPi) + Vector512.Create(RoundingMagicD);
        Vector512<long> quadrant = t.AsInt64() - Vector512.Create(RoundingMagicD).AsInt64() + Vector512.Create((long)quadrantShift);
        Vector512<double> j = t - Vector512.Create(RoundingMagicD);
        Vector512<double> r = x - j * Vector512.Create(HalfPi1);
        r -= j * Vector512.Create(HalfPi2);
        r -= j * Vector512.Create(HalfPi3);

        Vector512<double> z = r * r;
        Vector512<double> sin = Vector512.Create(-7.578443972998086e-13);
        sin = sin * z + Vector512.Create(1.6058360997897543e-10);
        sin = sin * z + Vector512.Create(-2.5052104862547383e-08);
        sin = sin * z + Vector512.Create(2.7557319213978736e-06);
        sin = sin * z + Vector512.Create(-0.000198412698412546);
        sin = sin * z + Vector512.Create(0.008333333333333323);
        sin = sin * z + Vector512.Create(-0.16666666666666666);
        sin = Vector512.ConditionalSelect(Vector512.Equals(r, Vector512<double>.Zero), r, r + r * z * sin);   // keeps sin(−0) = −0
        Vector512<double> cos = Vector512.Create(4.737612740574513e-14);
        cos = cos * z + Vector512.Create(-1.1470281460840009e-11);
        cos = cos * z + Vector512.Create(2.087675425371531e-09);
        cos = cos * z + Vector512.Create(-2.7557319214831273e-07);
        cos = cos * z + Vector512.Create(2.4801587301570097e-05);
        cos = cos * z + Vector512.Create(-0.0013888888888888872);
        cos = cos * z + Vector512.Create(0.041666666666666664);
        cos = z * z * cos - Vector512.Create(0.5) * z + Vector512<double>.One;

        Vector512<double> odd = Vector512.Equals(quadrant & Vector512<long>.One, Vector512<long>.One).AsDouble();
        Vector512<double> y = Vector512.ConditionalSelect(odd, cos, sin);
        return y ^ Vector512.ShiftLeft(quadrant & Vector512.Create(2L), 62).AsDouble();
    }

    /// <summary>2ⁿ for n in [−1022, 1023], built from its exponent bits.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<double> PowerOfTwo(Vector512<long> n) => Vector512.ShiftLeft(n + Vector512.Create(1023L), 52).AsDouble();
}
