using EcsNeural.Systems.Kernels;

namespace EcsNeural.Tests.Kernels;

public class GemmTests
{
    private static readonly int[] OddSizes = [1, 3, 17, 33, 255];

    private static IEnumerable<TestCaseData> Shapes()
    {
        foreach (bool ta in new[] { false, true })
            foreach (bool tb in new[] { false, true })
            {
                yield return new TestCaseData(1, 1, 1, ta, tb);
                yield return new TestCaseData(3, 17, 33, ta, tb);
                yield return new TestCaseData(33, 3, 17, ta, tb);
                yield return new TestCaseData(17, 33, 3, ta, tb);
                yield return new TestCaseData(255, 17, 1, ta, tb);
                yield return new TestCaseData(1, 255, 33, ta, tb);
                yield return new TestCaseData(31, 65, 300, ta, tb);
                yield return new TestCaseData(70, 130, 257, ta, tb);
                yield return new TestCaseData(300, 10, 200, ta, tb);   // narrow output: computed as (Cᵀ)ᵀ
                yield return new TestCaseData(129, 8, 100, ta, tb);
                yield return new TestCaseData(203, 10, 1000, ta, tb);  // narrow output, k past the vector tail
                yield return new TestCaseData(65, 1, 64, ta, tb);
            }
    }

    [TestCaseSource(nameof(Shapes))]
    public void FloatMatchesFloat64Reference(int m, int n, int k, bool ta, bool tb)
    {
        CheckAgainstReference<float>(m, n, k, ta, tb, accumulate: false, seed: 1);
        CheckAgainstReference<float>(m, n, k, ta, tb, accumulate: true, seed: 2);
    }

    [TestCaseSource(nameof(Shapes))]
    public void DoubleMatchesFloat64Reference(int m, int n, int k, bool ta, bool tb)
    {
        CheckAgainstReference<double>(m, n, k, ta, tb, accumulate: false, seed: 3);
        CheckAgainstReference<double>(m, n, k, ta, tb, accumulate: true, seed: 4);
    }

    [Test]
    public void RandomOddShapesMatchReference()
    {
        var rng = new Random(42);
        for (int trial = 0; trial < 40; trial++)
        {
            int m = OddSizes[rng.Next(OddSizes.Length)], n = OddSizes[rng.Next(OddSizes.Length)], k = OddSizes[rng.Next(OddSizes.Length)];
            bool ta = rng.Next(2) == 1, tb = rng.Next(2) == 1, acc = rng.Next(2) == 1;
            CheckAgainstReference<float>(m, n, k, ta, tb, acc, seed: 100 + trial);
            CheckAgainstReference<double>(m, n, k, ta, tb, acc, seed: 200 + trial);
        }
    }

    [Test]
    public void LargeInnerDimensionCrossesCacheBlocks()
    {
        CheckAgainstReference<float>(37, 100, 700, false, false, accumulate: true, seed: 7);
        CheckAgainstReference<float>(37, 100, 700, true, true, accumulate: false, seed: 8);
    }

    /// <summary>Weight-gradient shapes (Aᵀ·B, small C, k of two chunks or more): the unpacked chunked path.</summary>
    [TestCase(64, 64, 16384)]
    [TestCase(16, 64, 5000)]    // the last chunk and sub-block partial
    [TestCase(8, 96, 4100)]     // three tiles across
    [TestCase(24, 32, 4097)]
    [TestCase(64, 2, 16384)]    // narrow C, computed as Cᵀ: an output layer's weight gradient
    [TestCase(64, 1, 5000)]
    [TestCase(32, 3, 4100)]
    [TestCase(8, 16, 100_000)]   // deep enough for chunks past the minimum depth (at most 32 chunks)
    public void DeepWeightGradientShapesMatchReference(int m, int n, int k)
    {
        CheckAgainstReference<float>(m, n, k, true, false, accumulate: false, seed: 12);
        CheckAgainstReference<float>(m, n, k, true, false, accumulate: true, seed: 13);
        CheckAgainstReference<double>(m, n, k, true, false, accumulate: false, seed: 14);
        CheckAgainstReference<double>(m, n, k, true, false, accumulate: true, seed: 15);
    }

    [TestCase(40, 64)]
    [TestCase(32, 3)]   // narrow
    public void DeepRowBlocksReproduceTheWholeProductBitForBit(int m, int n)
    {
        const int k = 4500;
        var rng = new Random(16);
        float[] a = ReferenceMath.Random<float>(rng, k * m), b = ReferenceMath.Random<float>(rng, k * n), c0 = ReferenceMath.Random<float>(rng, m * n);
        float[] whole = (float[])c0.Clone();
        Gemm.Multiply<float>(a, true, b, false, whole, m, n, k, accumulate: true);

        foreach (int blockSize in new[] { 1, 5, 8, 16, 40 })   // 1 and 5: rows off the 8-row tiles, one element at a time
        {
            float[] blocked = (float[])c0.Clone();
            for (int start = 0; start < m; start += blockSize)
                Gemm.MultiplyRows<float>(a, true, b, false, blocked, m, n, k, accumulate: true, start, Math.Min(m, start + blockSize));
            Assert.That(blocked, Is.EqualTo(whole), $"block size {blockSize}");
        }
    }

    /// <summary>
    /// Without AVX-512 the packed path runs its 512-bit lanes as 256-bit pairs, and with no vectors at all the row loop
    /// takes over: both still match the reference (in child processes, since the JIT's instruction set is fixed at start).
    /// </summary>
    [TestCase("DOTNET_EnableAVX512")]
    [TestCase("DOTNET_EnableHWIntrinsic")]
    public void ProductsMatchTheReferenceUnderAReducedInstructionSet(string switchOff)
        => Assert.That(Support.ChildProcess.Run("gemm-reference", (switchOff, "0")), Is.EqualTo($"all close{Environment.NewLine}completed{Environment.NewLine}"));

    [Test]
    public void ZeroInnerDimensionClearsOrKeepsC()
    {
        float[] c = [1, 2, 3, 4];
        Gemm.Multiply<float>([], false, [], false, c, 2, 2, 0, accumulate: true);
        Assert.That(c, Is.EqualTo(new float[] { 1, 2, 3, 4 }));
        Gemm.Multiply<float>([], false, [], false, c, 2, 2, 0, accumulate: false);
        Assert.That(c, Is.EqualTo(new float[] { 0, 0, 0, 0 }));
    }

    [TestCase(false, false, 77)]
    [TestCase(true, false, 77)]
    [TestCase(false, true, 77)]
    [TestCase(true, true, 77)]
    [TestCase(false, false, 10)]
    [TestCase(false, true, 10)]
    [TestCase(true, false, 10)]
    [TestCase(true, true, 10)]
    public void RowBlocksReproduceTheWholeProductBitForBit(bool ta, bool tb, int n)
    {
        const int m = 203, k = 150;
        var rng = new Random(9);
        float[] a = ReferenceMath.Random<float>(rng, m * k), b = ReferenceMath.Random<float>(rng, k * n);
        float[] c0 = ReferenceMath.Random<float>(rng, m * n);
        float[] whole = (float[])c0.Clone();
        Gemm.Multiply<float>(a, ta, b, tb, whole, m, n, k, accumulate: true);

        foreach (int blockSize in new[] { 1, 7, 16, 64, 200 })
        {
            float[] blocked = (float[])c0.Clone();
            for (int start = 0; start < m; start += blockSize)
                Gemm.MultiplyRows<float>(a, ta, b, tb, blocked, m, n, k, accumulate: true, start, Math.Min(m, start + blockSize));
            Assert.That(blocked, Is.EqualTo(whole), $"block size {blockSize}");
        }
    }

    [Test]
    public void MultiplyRowsLeavesOtherRowsUntouched()
    {
        const int m = 10, n = 9, k = 5;
        var rng = new Random(10);
        float[] a = ReferenceMath.Random<float>(rng, m * k), b = ReferenceMath.Random<float>(rng, k * n);
        float[] c = Enumerable.Repeat(float.NaN, m * n).ToArray();
        Gemm.MultiplyRows<float>(a, false, b, false, c, m, n, k, accumulate: false, 3, 6);
        for (int i = 0; i < m; i++)
            for (int j = 0; j < n; j++)
                Assert.That(float.IsNaN(c[i * n + j]), Is.EqualTo(i < 3 || i >= 6), $"row {i} column {j}");
    }

    [Test]
    public void BadArgumentsAreRejectedWithClearMessages()
    {
        var a = new float[6];
        var b = new float[6];
        var c = new float[4];
        var ex = Assert.Throws<ArgumentException>(() => Gemm.Multiply<float>(a, false, b, false, c, 2, 2, 4, false));
        Assert.That(ex!.Message, Does.Contain("A holds 6"));
        ex = Assert.Throws<ArgumentException>(() => Gemm.Multiply<float>(a, false, b, false, new float[3], 2, 2, 3, false));
        Assert.That(ex!.Message, Does.Contain("C holds 3"));
        Assert.Throws<ArgumentOutOfRangeException>(() => Gemm.Multiply<float>(a, false, b, false, c, -1, 2, 3, false));
        Assert.Throws<ArgumentOutOfRangeException>(() => Gemm.MultiplyRows<float>(a, false, b, false, c, 2, 2, 3, false, 1, 3));
    }

    [Test]
    public void SteadyStateMultiplyDoesNotAllocate()
    {
        const int m = 64, n = 300, k = 400;
        var rng = new Random(11);
        float[] a = ReferenceMath.Random<float>(rng, m * k), b = ReferenceMath.Random<float>(rng, k * n), c = new float[m * n];
        for (int warm = 0; warm < 3; warm++)
            RunAllTransposes(a, b, c, m, n, k);
        long before = GC.GetAllocatedBytesForCurrentThread();
        RunAllTransposes(a, b, c, m, n, k);
        Assert.That(GC.GetAllocatedBytesForCurrentThread() - before, Is.Zero);
    }

    [Test]
    public void SteadyStateDeepMultiplyDoesNotAllocate()
    {
        const int m = 32, n = 64, k = 8192;
        var rng = new Random(17);
        float[] a = ReferenceMath.Random<float>(rng, k * m), b = ReferenceMath.Random<float>(rng, k * n), c = new float[m * n];
        Gemm.Multiply<float>(a, true, b, false, c, m, n, k, false);
        long before = GC.GetAllocatedBytesForCurrentThread();
        Gemm.Multiply<float>(a, true, b, false, c, m, n, k, true);
        Assert.That(GC.GetAllocatedBytesForCurrentThread() - before, Is.Zero);
    }

    private static void RunAllTransposes(float[] a, float[] b, float[] c, int m, int n, int k)
    {
        Gemm.Multiply<float>(a, false, b, false, c, m, n, k, false);
        Gemm.Multiply<float>(a, true, b, false, c, m, n, k, true);
        Gemm.Multiply<float>(a, false, b, true, c, m, n, k, true);
        Gemm.Multiply<float>(a, true, b, true, c, m, n, k, true);
    }

    private static void CheckAgainstReference<T>(int m, int n, int k, bool ta, bool tb, bool accumulate, int seed)
        where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        var rng = new Random(seed);
        T[] a = ReferenceMath.Random<T>(rng, m * k), b = ReferenceMath.Random<T>(rng, k * n);
        T[] c = ReferenceMath.Random<T>(rng, m * n);
        var (expected, absSum) = ReferenceMath.Multiply(a, ta, b, tb, accumulate ? c : null, m, n, k);
        Gemm.Multiply<T>(a, ta, b, tb, c, m, n, k, accumulate);
        ReferenceMath.AssertClose<T>(c, expected, absSum, k + 1,
            $"{typeof(T).Name} m={m} n={n} k={k} ta={ta} tb={tb} acc={accumulate}");
    }
}
