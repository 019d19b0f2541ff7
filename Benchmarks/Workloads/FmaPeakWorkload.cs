using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace EcsNeural.Benchmarks.Workloads;

/// <summary>
/// Calibration (id <c>FMA-PEAK</c>, impl <c>machine</c>): 16 independent Vector512 FMA chains on one thread, the
/// one-core FMA ceiling at the moment of measuring. On a shared machine it drops with the load, so GEMM GFLOP/s are
/// best read as a fraction of this number taken in the same run.
/// </summary>
public sealed class FmaPeakWorkload : IWorkload
{
    private const int Iterations = 2_000_000;
    private float _sink;

    public string Id => "FMA-PEAK";

    public string Impl => "machine";

    public double FlopsPerStep => (double)Iterations * 16 * 2 * Vector512<float>.Count;

    public void Setup()
    {
    }

    public void Step() => _sink += Chains(Iterations);

    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static float Chains(int iterations)
    {
        Vector512<float> m = Vector512.Create(0.999999f), c = Vector512.Create(1e-7f);
        Vector512<float> a0 = m, a1 = m, a2 = m, a3 = m, a4 = m, a5 = m, a6 = m, a7 = m;
        Vector512<float> a8 = m, a9 = m, a10 = m, a11 = m, a12 = m, a13 = m, a14 = m, a15 = m;
        for (int i = 0; i < iterations; i++)
        {
            a0 = Vector512.FusedMultiplyAdd(a0, m, c); a1 = Vector512.FusedMultiplyAdd(a1, m, c);
            a2 = Vector512.FusedMultiplyAdd(a2, m, c); a3 = Vector512.FusedMultiplyAdd(a3, m, c);
            a4 = Vector512.FusedMultiplyAdd(a4, m, c); a5 = Vector512.FusedMultiplyAdd(a5, m, c);
            a6 = Vector512.FusedMultiplyAdd(a6, m, c); a7 = Vector512.FusedMultiplyAdd(a7, m, c);
            a8 = Vector512.FusedMultiplyAdd(a8, m, c); a9 = Vector512.FusedMultiplyAdd(a9, m, c);
            a10 = Vector512.FusedMultiplyAdd(a10, m, c); a11 = Vector512.FusedMultiplyAdd(a11, m, c);
            a12 = Vector512.FusedMultiplyAdd(a12, m, c); a13 = Vector512.FusedMultiplyAdd(a13, m, c);
            a14 = Vector512.FusedMultiplyAdd(a14, m, c); a15 = Vector512.FusedMultiplyAdd(a15, m, c);
        }
        return (a0 + a1 + a2 + a3 + a4 + a5 + a6 + a7 + a8 + a9 + a10 + a11 + a12 + a13 + a14 + a15).ToScalar();
    }
}
