using EcsNeural.Systems.Kernels;

namespace EcsNeural.Tests.Kernels;

public class DenseKernelsTests
{
    /// <summary>Shapes (instances, batch, in, out) both passes are checked on.</summary>
    private static readonly object[] Shapes =
    [
        new object[] { 1, 1, 1, 1 },
        new object[] { 5, 1, 16, 32 },
        new object[] { 7, 1, 32, 4 },
        new object[] { 3, 1, 33, 17 },
        new object[] { 4, 3, 17, 33 },
        new object[] { 2, 5, 64, 64 },
        new object[] { 37, 1, 3, 255 },
        new object[] { 17, 2, 32, 8 },
        new object[] { 3, 8, 17, 33 },      // batch ≥ GemmBatch: the GEMM path
        new object[] { 2, 40, 64, 10 },
    ];

    [TestCaseSource(nameof(Shapes))]
    public void ForwardMatchesReference(int instances, int batch, int inDim, int outDim)
    {
        CheckForward<float>(instances, batch, inDim, outDim, seed: 1);
        CheckForward<double>(instances, batch, inDim, outDim, seed: 2);
    }

    [TestCaseSource(nameof(Shapes))]
    public void BackwardMatchesReference(int instances, int batch, int inDim, int outDim)
    {
        foreach (bool accumulate in new[] { false, true })
            foreach (bool withDx in new[] { false, true })
            {
                CheckBackward<float>(instances, batch, inDim, outDim, accumulate, withDx, seed: 3);
                CheckBackward<double>(instances, batch, inDim, outDim, accumulate, withDx, seed: 4);
            }
    }

    [Test]
    public void InstanceRangesReproduceTheWholePopulationBitForBit()
    {
        const int instances = 50, batch = 1, inDim = 16, outDim = 32;
        var rng = new Random(5);
        float[] x = ReferenceMath.Random<float>(rng, instances * batch * inDim);
        float[] w = ReferenceMath.Random<float>(rng, instances * inDim * outDim);
        float[] b = ReferenceMath.Random<float>(rng, instances * outDim);
        float[] dy = ReferenceMath.Random<float>(rng, instances * batch * outDim);
        var y = new float[instances * batch * outDim];
        var dx = new float[x.Length];
        var dw = new float[w.Length];
        var db = new float[b.Length];
        DenseKernels.Forward<float>(x, w, b, y, instances, batch, inDim, outDim);
        DenseKernels.Backward<float>(x, w, dy, dx, dw, db, instances, batch, inDim, outDim, accumulate: false);

        var y2 = new float[y.Length];
        var dx2 = new float[dx.Length];
        var dw2 = new float[dw.Length];
        var db2 = new float[db.Length];
        const int block = 16;
        for (int start = 0; start < instances; start += block)
        {
            int count = Math.Min(block, instances - start);
            DenseKernels.Forward<float>(x.AsSpan(start * inDim, count * inDim), w.AsSpan(start * inDim * outDim, count * inDim * outDim),
                b.AsSpan(start * outDim, count * outDim), y2.AsSpan(start * outDim, count * outDim), count, batch, inDim, outDim);
            DenseKernels.Backward<float>(x.AsSpan(start * inDim, count * inDim), w.AsSpan(start * inDim * outDim, count * inDim * outDim),
                dy.AsSpan(start * outDim, count * outDim), dx2.AsSpan(start * inDim, count * inDim),
                dw2.AsSpan(start * inDim * outDim, count * inDim * outDim), db2.AsSpan(start * outDim, count * outDim),
                count, batch, inDim, outDim, accumulate: false);
        }
        Assert.Multiple(() =>
        {
            Assert.That(y2, Is.EqualTo(y));
            Assert.That(dx2, Is.EqualTo(dx));
            Assert.That(dw2, Is.EqualTo(dw));
            Assert.That(db2, Is.EqualTo(db));
        });
    }

    [Test]
    public void WrongSpanLengthsAreRejectedWithClearMessages()
    {
        var ex = Assert.Throws<ArgumentException>(() =>
            DenseKernels.Forward<float>(new float[10], new float[20], new float[4], new float[8], 2, 1, 5, 4));
        Assert.That(ex!.Message, Does.Contain("w holds 20").And.Contain("40"));
        ex = Assert.Throws<ArgumentException>(() =>
            DenseKernels.Backward<float>(new float[10], new float[40], new float[8], new float[9], new float[40], new float[8], 2, 1, 5, 4, false));
        Assert.That(ex!.Message, Does.Contain("dx holds 9"));
        Assert.Throws<ArgumentOutOfRangeException>(() =>
            DenseKernels.Forward<float>([], [], [], [], -1, 1, 1, 1));
    }

    [Test]
    public void SteadyStateStepDoesNotAllocate()
    {
        const int instances = 64, batch = 1, inDim = 32, outDim = 32;
        var rng = new Random(6);
        float[] x = ReferenceMath.Random<float>(rng, instances * inDim), w = ReferenceMath.Random<float>(rng, instances * inDim * outDim);
        float[] b = ReferenceMath.Random<float>(rng, instances * outDim), y = new float[instances * outDim];
        float[] dx = new float[x.Length], dw = new float[w.Length], db = new float[b.Length];
        for (int warm = 0; warm < 3; warm++)
        {
            DenseKernels.Forward<float>(x, w, b, y, instances, batch, inDim, outDim);
            DenseKernels.Backward<float>(x, w, y, dx, dw, db, instances, batch, inDim, outDim, true);
        }
        long before = GC.GetAllocatedBytesForCurrentThread();
        DenseKernels.Forward<float>(x, w, b, y, instances, batch, inDim, outDim);
        DenseKernels.Backward<float>(x, w, y, dx, dw, db, instances, batch, inDim, outDim, true);
        Assert.That(GC.GetAllocatedBytesForCurrentThread() - before, Is.Zero);
    }

    private static void CheckForward<T>(int instances, int batch, int inDim, int outDim, int seed)
        where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        var rng = new Random(seed);
        T[] x = ReferenceMath.Random<T>(rng, instances * batch * inDim);
        T[] w = ReferenceMath.Random<T>(rng, instances * inDim * outDim);
        T[] b = ReferenceMath.Random<T>(rng, instances * outDim);
        T[] y = ReferenceMath.Random<T>(rng, instances * batch * outDim);   // garbage: must be overwritten
        DenseKernels.Forward<T>(x, w, b, y, instances, batch, inDim, outDim);
        for (int i = 0; i < instances; i++)
        {
            T[] xi = x.AsSpan(i * batch * inDim, batch * inDim).ToArray();
            T[] wi = w.AsSpan(i * inDim * outDim, inDim * outDim).ToArray();
            var bias = new T[batch * outDim];
            for (int s = 0; s < batch; s++)
                b.AsSpan(i * outDim, outDim).CopyTo(bias.AsSpan(s * outDim));
            var (expected, absSum) = ReferenceMath.Multiply(xi, false, wi, false, bias, batch, outDim, inDim);
            ReferenceMath.AssertClose<T>(y.AsSpan(i * batch * outDim, batch * outDim), expected, absSum, inDim + 1,
                $"{typeof(T).Name} forward instance {i}");
        }
    }

    private static void CheckBackward<T>(int instances, int batch, int inDim, int outDim, bool accumulate, bool withDx, int seed)
        where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        var rng = new Random(seed);
        T[] x = ReferenceMath.Random<T>(rng, instances * batch * inDim);
        T[] w = ReferenceMath.Random<T>(rng, instances * inDim * outDim);
        T[] dy = ReferenceMath.Random<T>(rng, instances * batch * outDim);
        T[] dx = ReferenceMath.Random<T>(rng, x.Length);
        T[] dw = ReferenceMath.Random<T>(rng, w.Length);
        T[] db = ReferenceMath.Random<T>(rng, instances * outDim);
        T[] dw0 = (T[])dw.Clone(), db0 = (T[])db.Clone();
        DenseKernels.Backward<T>(x, w, dy, withDx ? dx : Span<T>.Empty, dw, db, instances, batch, inDim, outDim, accumulate);
        string what = $"{typeof(T).Name} acc={accumulate} dx={withDx}";
        for (int i = 0; i < instances; i++)
        {
            T[] xi = x.AsSpan(i * batch * inDim, batch * inDim).ToArray();
            T[] wi = w.AsSpan(i * inDim * outDim, inDim * outDim).ToArray();
            T[] dyi = dy.AsSpan(i * batch * outDim, batch * outDim).ToArray();
            if (withDx)
            {
                var (edx, adx) = ReferenceMath.Multiply(dyi, false, wi, true, null, batch, inDim, outDim);
                ReferenceMath.AssertClose<T>(dx.AsSpan(i * batch * inDim, batch * inDim), edx, adx, outDim, $"{what} dx instance {i}");
            }
            T[]? dwStart = accumulate ? dw0.AsSpan(i * inDim * outDim, inDim * outDim).ToArray() : null;
            var (edw, adw) = ReferenceMath.Multiply(xi, true, dyi, false, dwStart, inDim, outDim, batch);
            ReferenceMath.AssertClose<T>(dw.AsSpan(i * inDim * outDim, inDim * outDim), edw, adw, batch + 1, $"{what} dw instance {i}");

            var edb = new double[outDim];
            var adb = new double[outDim];
            for (int o = 0; o < outDim; o++)
            {
                edb[o] = accumulate ? double.CreateChecked(db0[i * outDim + o]) : 0;
                adb[o] = Math.Abs(edb[o]);
                for (int s = 0; s < batch; s++)
                {
                    double v = double.CreateChecked(dyi[s * outDim + o]);
                    edb[o] += v;
                    adb[o] += Math.Abs(v);
                }
            }
            ReferenceMath.AssertClose<T>(db.AsSpan(i * outDim, outDim), edb, adb, batch + 1, $"{what} db instance {i}");
        }
    }
}
