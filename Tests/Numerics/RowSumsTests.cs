using EcsNeural.Systems.Kernels;

namespace EcsNeural.Tests.Numerics;

/// <summary>Rows added into one row: the bits of adding the rows one after another in scalars, for any width.</summary>
public sealed class RowSumsTests
{
    [TestCase(0, 5)]
    [TestCase(1, 1)]
    [TestCase(7, 2)]
    [TestCase(300, 15)]
    [TestCase(300, 16)]
    [TestCase(300, 17)]
    [TestCase(129, 64)]
    [TestCase(65, 65)]
    [TestCase(33, 130)]
    public void FloatRowsAddIntoTheSumInRowOrder(int rows, int cols)
    {
        var random = new Random(rows * 1000 + cols);
        float[] x = [.. Enumerable.Range(0, rows * cols).Select(_ => (float)(random.NextDouble() * 2 - 1) * (float)Math.Pow(10, random.Next(-3, 4)))];
        float[] start = [.. Enumerable.Range(0, cols).Select(_ => (float)random.NextDouble())];
        float[] expected = [.. start];
        for (int r = 0; r < rows; r++)
            for (int j = 0; j < cols; j++)
                expected[j] += x[r * cols + j];
        float[] sum = [.. start];

        RowSums.AddRows<float>(x, rows, sum);

        Assert.That(sum.Select(BitConverter.SingleToInt32Bits), Is.EqualTo(expected.Select(BitConverter.SingleToInt32Bits)));
    }

    [TestCase(100, 8)]
    [TestCase(100, 37)]
    public void DoubleRowsAddIntoTheSumInRowOrder(int rows, int cols)
    {
        var random = new Random(cols);
        double[] x = [.. Enumerable.Range(0, rows * cols).Select(_ => random.NextDouble() - 0.5)];
        double[] expected = new double[cols];
        for (int r = 0; r < rows; r++)
            for (int j = 0; j < cols; j++)
                expected[j] += x[r * cols + j];
        double[] sum = new double[cols];

        RowSums.AddRows<double>(x, rows, sum);

        Assert.That(sum.Select(BitConverter.DoubleToInt64Bits), Is.EqualTo(expected.Select(BitConverter.DoubleToInt64Bits)));
    }

    [Test]
    public void TooFewElementsForTheRowsIsAnErrorNamingTheSizes()
    {
        Assert.That(() => RowSums.AddRows<float>(new float[10], 3, new float[4]),
            Throws.ArgumentException.With.Message.Contains("3 rows of 4").And.Message.Contains("has 10"));
    }
}
