using EcsNeural.Systems.Kernels;

namespace EcsNeural.Benchmarks.Workloads;

/// <summary>
/// One <see cref="Gemm.Multiply{T}"/> on a W5 shape on the calling thread only (impl <c>ours-gemm-1core</c>):
/// the single-core GFLOP/s of the kernel, against the one-core FMA peak (≈ 216 GFLOP/s on our machine).
/// </summary>
public sealed class GemmWorkload(string id, int m, int n, int k, bool transposeA, bool transposeB) : IWorkload
{
    private float[] _a = [], _b = [], _c = [];

    /// <summary>The three products of W5's 1024×1024 layer: forward (NN), weight gradient (TN), input gradient (NT).</summary>
    public static IReadOnlyList<GemmWorkload> W5Shapes { get; } =
    [
        new("G-NN", 4096, 1024, 1024, false, false),
        new("G-TN", 1024, 1024, 4096, true, false),
        new("G-NT", 4096, 1024, 1024, false, true),
    ];

    public string Id => id;

    public string Impl => "ours-gemm-1core";

    public double FlopsPerStep => 2.0 * m * n * k;

    public string Describe() => $"GEMM {m}×{n}×{k}{(transposeA ? ", Aᵀ" : "")}{(transposeB ? ", Bᵀ" : "")}, one thread";

    public void Setup()
    {
        var random = new Random(99);
        _a = new float[m * k];
        _b = new float[k * n];
        _c = new float[m * n];
        RandomFill.Uniform(_a, random, 1f);
        RandomFill.Uniform(_b, random, 1f);
    }

    public void Step() => Gemm.Multiply<float>(_a, transposeA, _b, transposeB, _c, m, n, k, accumulate: false);
}
