namespace EcsNeural.Tests.Symbolic;

/// <summary>Distances between doubles in units in the last place (+0 and −0 are the same point).</summary>
internal static class Ulps
{
    /// <summary>How many representable doubles lie between a and b (0 when they are equal, including +0 vs −0).</summary>
    public static long Between(double a, double b)
    {
        if (double.IsNaN(a) || double.IsNaN(b))
            return long.MaxValue;
        return Math.Abs(Ordered(a) - Ordered(b));
    }

    /// <summary>The largest distance between corresponding elements.</summary>
    public static long Max(double[] a, double[] b)
    {
        long worst = 0;
        for (int j = 0; j < a.Length; j++)
            worst = Math.Max(worst, Between(a[j], b[j]));
        return worst;
    }

    private static long Ordered(double x)
    {
        long bits = BitConverter.DoubleToInt64Bits(x);
        return bits < 0 ? long.MinValue - bits : bits;
    }
}
