using System.Numerics;
using EcsNeural.Systems.Kernels;

namespace EcsNeural.Tests.Kernels;

/// <summary>
/// The portable kernels give exactly the bits of a plain scalar loop that rounds in their documented order (every
/// multiply-add fused, dot products in fixed lanes), so no vector width can change them: the in-process half of the
/// portable-mode proof (the child-process half trains under reduced instruction sets).
/// </summary>
public class PortableKernelTests
{
    private static readonly (int M, int N, int K)[] GemmShapes =
    [
        (1, 1, 1), (3, 5, 7), (8, 32, 16), (17, 33, 9), (64, 10, 128), (40, 3, 100), (9, 70, 800), (130, 20, 65), (5, 5, 0),
    ];

    [Test]
    public void PortableGemmEqualsTheScalarChainsInDepthBlocks([Values] bool transposeA, [Values] bool transposeB, [Values] bool accumulate)
    {
        foreach ((int m, int n, int k) in GemmShapes)
        {
            CheckGemm<float>(m, n, k, transposeA, transposeB, accumulate);
            CheckGemm<double>(m, n, k, transposeA, transposeB, accumulate);
        }
    }

    [Test]
    public void PortableGemmRowBlocksReproduceTheWholeProduct()
    {
        var random = new Random(3);
        (int m, int n, int k) = (70, 24, 50);
        float[] a = Values<float>(m * k, random), b = Values<float>(k * n, random);
        var whole = new float[m * n];
        var pieces = new float[m * n];
        Gemm.Multiply<float>(a, false, b, false, whole, m, n, k, accumulate: false, NumericsMode.Portable);
        foreach ((int start, int end) in new[] { (0, 8), (8, 24), (24, 61), (61, 70) })
            Gemm.MultiplyRows<float>(a, false, b, false, pieces, m, n, k, accumulate: false, start, end, NumericsMode.Portable);
        Assert.That(Bits(pieces), Is.EqualTo(Bits(whole)));
    }

    [TestCase(3, 1, 16, 32)]
    [TestCase(2, 1, 32, 4)]
    [TestCase(4, 3, 5, 3)]
    [TestCase(2, 2, 7, 20)]
    [TestCase(2, 1, 33, 7)]
    [TestCase(2, 8, 16, 32)]
    [TestCase(1, 12, 9, 5)]
    [TestCase(2, 2, 13, 8)]
    [TestCase(1, 1, 3, 4)]
    [TestCase(2, 1, 9, 2)]
    public void PortableDenseLayerEqualsTheScalarReference(int instances, int batch, int inDim, int outDim)
    {
        foreach (bool accumulate in new[] { false, true })
        {
            CheckDense<float>(instances, batch, inDim, outDim, accumulate);
            CheckDense<double>(instances, batch, inDim, outDim, accumulate);
        }
    }

    private static void CheckGemm<T>(int m, int n, int k, bool transposeA, bool transposeB, bool accumulate) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var random = new Random(m * 1000 + n * 10 + k);
        T[] a = Values<T>(m * k, random), b = Values<T>(k * n, random), c0 = Values<T>(m * n, random);
        T[] actual = (T[])c0.Clone(), expected = (T[])c0.Clone();
        Gemm.Multiply<T>(a, transposeA, b, transposeB, actual, m, n, k, accumulate, NumericsMode.Portable);
        ReferenceGemm(a, transposeA, b, transposeB, expected, m, n, k, accumulate);
        Assert.That(Bits(actual), Is.EqualTo(Bits(expected)), $"{typeof(T).Name} {m}×{n}×{k} tA={transposeA} tB={transposeB} acc={accumulate}");
    }

    private static void CheckDense<T>(int instances, int batch, int inDim, int outDim, bool accumulate) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var random = new Random(instances * 7 + batch * 13 + inDim * 17 + outDim);
        T[] x = Values<T>(instances * batch * inDim, random), w = Values<T>(instances * inDim * outDim, random);
        T[] b = Values<T>(instances * outDim, random), dy = Values<T>(instances * batch * outDim, random);
        T[] dw0 = Values<T>(w.Length, random), db0 = Values<T>(b.Length, random);
        var y = new T[instances * batch * outDim];
        var dx = new T[x.Length];
        T[] dw = (T[])dw0.Clone(), db = (T[])db0.Clone();
        DenseKernels.Forward<T>(x, w, b, y, instances, batch, inDim, outDim, NumericsMode.Portable);
        DenseKernels.Backward<T>(x, w, dy, dx, dw, db, instances, batch, inDim, outDim, accumulate, NumericsMode.Portable);

        var yRef = new T[y.Length];
        var dxRef = new T[dx.Length];
        T[] dwRef = (T[])dw0.Clone(), dbRef = (T[])db0.Clone();
        for (int i = 0; i < instances; i++)
        {
            Span<T> xi = x.AsSpan(i * batch * inDim, batch * inDim), wi = w.AsSpan(i * inDim * outDim, inDim * outDim), bi = b.AsSpan(i * outDim, outDim);
            Span<T> dyi = dy.AsSpan(i * batch * outDim, batch * outDim), yi = yRef.AsSpan(i * batch * outDim, batch * outDim);
            Span<T> dxi = dxRef.AsSpan(i * batch * inDim, batch * inDim), dwi = dwRef.AsSpan(i * inDim * outDim, inDim * outDim);
            Span<T> dbi = dbRef.AsSpan(i * outDim, outDim);
            if (batch >= DenseKernels.GemmBatch)
            {
                // As GEMMs: y = b then += x·w; dx = dy·wᵀ; dw += xᵀ·dy; db += the rows of dy in order.
                for (int s = 0; s < batch; s++)
                    bi.CopyTo(yi.Slice(s * outDim, outDim));
                T[] yArray = yi.ToArray(), dxArray = new T[dxi.Length], dwArray = dwi.ToArray();
                ReferenceGemm(xi.ToArray(), false, wi.ToArray(), false, yArray, batch, outDim, inDim, accumulate: true);
                ReferenceGemm(dyi.ToArray(), false, wi.ToArray(), true, dxArray, batch, inDim, outDim, accumulate: false);
                ReferenceGemm(xi.ToArray(), true, dyi.ToArray(), false, dwArray, inDim, outDim, batch, accumulate);
                yArray.CopyTo(yi);
                dxArray.CopyTo(dxi);
                dwArray.CopyTo(dwi);
                for (int s = 0; s < batch; s++)
                    for (int o = 0; o < outDim; o++)
                        dbi[o] = s == 0 && !accumulate ? dyi[o] : dbi[o] + dyi[s * outDim + o];
                continue;
            }
            for (int s = 0; s < batch; s++)
            {
                for (int o = 0; o < outDim; o++)
                {
                    // Two chains per output: even inputs from the bias, odd ones from zero.
                    T even = bi[o], odd = T.Zero;
                    int p = 0;
                    for (; p + 2 <= inDim; p += 2)
                    {
                        even = T.FusedMultiplyAdd(xi[s * inDim + p], wi[p * outDim + o], even);
                        odd = T.FusedMultiplyAdd(xi[s * inDim + p + 1], wi[(p + 1) * outDim + o], odd);
                    }
                    if (p < inDim)
                        even = T.FusedMultiplyAdd(xi[s * inDim + p], wi[p * outDim + o], even);
                    yi[s * outDim + o] = even + odd;
                }
                bool add = accumulate || s > 0;   // the first sample without accumulate stores products and dy
                for (int p = 0; p < inDim; p++)
                {
                    dxi[s * inDim + p] = LaneDot(dyi.Slice(s * outDim, outDim), wi.Slice(p * outDim, outDim));
                    for (int o = 0; o < outDim; o++)
                        dwi[p * outDim + o] = add
                            ? T.FusedMultiplyAdd(xi[s * inDim + p], dyi[s * outDim + o], dwi[p * outDim + o])
                            : xi[s * inDim + p] * dyi[s * outDim + o];
                }
                for (int o = 0; o < outDim; o++)
                    dbi[o] = add ? dbi[o] + dyi[s * outDim + o] : dyi[s * outDim + o];
            }
        }
        string shape = $"{typeof(T).Name} {instances}×[{batch}×{inDim}→{outDim}] accumulate={accumulate}";
        Assert.That(Bits(y), Is.EqualTo(Bits(yRef)), $"{shape}: y");
        Assert.That(Bits(dx), Is.EqualTo(Bits(dxRef)), $"{shape}: dx");
        Assert.That(Bits(dw), Is.EqualTo(Bits(dwRef)), $"{shape}: dw");
        Assert.That(Bits(db), Is.EqualTo(Bits(dbRef)), $"{shape}: db");
    }

    /// <summary>
    /// The portable GEMM's documented rounding: k is cut into equal depth blocks of at most 384; per block a chain of fused
    /// multiply-adds from zero, added to C (or, for the first block without accumulate, stored).
    /// </summary>
    private static void ReferenceGemm<T>(T[] a, bool transposeA, T[] b, bool transposeB, T[] c, int m, int n, int k, bool accumulate)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (k == 0)
        {
            if (!accumulate)
                Array.Clear(c, 0, m * n);
            return;
        }
        int blocks = (k + 383) / 384, depth = (k + blocks - 1) / blocks;
        for (int i = 0; i < m; i++)
            for (int j = 0; j < n; j++)
            {
                T value = c[i * n + j];
                for (int start = 0; start < k; start += depth)
                {
                    T chain = T.Zero;
                    for (int p = start; p < Math.Min(k, start + depth); p++)
                        chain = T.FusedMultiplyAdd(transposeA ? a[p * m + i] : a[i * k + p], transposeB ? b[j * k + p] : b[p * n + j], chain);
                    value = start == 0 && !accumulate ? chain : value + chain;
                }
                c[i * n + j] = value;
            }
    }

    /// <summary>
    /// The portable dot product: element i into partial i mod (64 bytes of lanes), each a fused chain from zero; then lane l
    /// takes lane l + h for h = L/2, …, 1, over the lanes an element reached.
    /// </summary>
    private static T LaneDot<T>(ReadOnlySpan<T> a, ReadOnlySpan<T> b) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int lanes = 64 / System.Runtime.CompilerServices.Unsafe.SizeOf<T>();
        var partial = new T[lanes];
        for (int i = 0; i < a.Length; i++)
            partial[i % lanes] = T.FusedMultiplyAdd(a[i], b[i], partial[i % lanes]);
        int used = Math.Min(lanes, a.Length);
        for (int h = lanes / 2; h >= 1; h /= 2)
        {
            for (int l = 0; l < h && l + h < used; l++)
                partial[l] += partial[l + h];
            used = Math.Min(used, h);
        }
        return partial[0];
    }

    private static T[] Values<T>(int count, Random random) where T : unmanaged, IFloatingPointIeee754<T>
        => [.. Enumerable.Range(0, count).Select(_ => T.CreateTruncating(random.NextDouble() * 2 - 1))];

    private static long[] Bits<T>(T[] values) where T : unmanaged, IFloatingPointIeee754<T>
        => [.. values.Select(v => typeof(T) == typeof(float) ? BitConverter.SingleToInt32Bits(float.CreateTruncating(v)) : BitConverter.DoubleToInt64Bits(double.CreateTruncating(v)))];
}
