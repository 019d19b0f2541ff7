using System.Numerics;
using EcsNeural.Ecs;
using EcsNeural.Systems.Kernels;
using EcsNeural.Tests.Backprop;

namespace EcsNeural.Tests.Kernels;

/// <summary>
/// The symbolic gradient ops DenseInputGradient and DenseWeightGradient give exactly the dx and dW of
/// <see cref="DenseKernels.Backward"/>, including on widths where Backward takes its one-pass Vector512 row kernel
/// (out a multiple of 16 floats or 8 doubles) while an op computing dx alone takes the per-row dot product.
/// </summary>
public class DenseGradientOpsTests
{
    [TestCase(1, 16, 32)]     // the population hot path: one sample, Vector512-wide rows
    [TestCase(3, 5, 16)]
    [TestCase(2, 7, 4)]       // narrow rows: 128-bit chunks
    [TestCase(1, 3, 17)]      // a scalar tail
    [TestCase(8, 5, 32)]      // batch ≥ GemmBatch: GEMMs
    public void OpsReproduceTheNumericBackwardBitForBit(int batch, int inDim, int outDim)
    {
        Check<float>(batch, inDim, outDim, seed: 7);
        Check<double>(batch, inDim, outDim, seed: 8);
    }

    private static void Check<T>(int batch, int inDim, int outDim, int seed) where T : unmanaged, IFloatingPointIeee754<T>
    {
        const int instances = 2;
        var rng = new Random(seed);
        T[] x = ReferenceMath.Random<T>(rng, instances * batch * inDim);
        T[] w = ReferenceMath.Random<T>(rng, instances * inDim * outDim);
        T[] dy = ReferenceMath.Random<T>(rng, instances * batch * outDim);
        var dx = new T[x.Length];
        var dw = new T[w.Length];
        DenseKernels.Backward<T>(x, w, dy, dx, dw, new T[instances * outDim], instances, batch, inDim, outDim, accumulate: false);

        using var f = new EngineFixture<T>(instances);
        Entity xNode = f.Builder.Input(batch, inDim), wNode = f.Builder.Input(inDim, outDim), dyNode = f.Builder.Input(batch, outDim);
        Entity dxNode = f.Builder.DenseInputGradient(dyNode, wNode), dwNode = f.Builder.DenseWeightGradient(xNode, dyNode);
        for (int i = 0; i < instances; i++)
        {
            f.SetInstance(xNode, i, x.AsSpan(i * batch * inDim, batch * inDim).ToArray());
            f.SetInstance(wNode, i, w.AsSpan(i * inDim * outDim, inDim * outDim).ToArray());
            f.SetInstance(dyNode, i, dy.AsSpan(i * batch * outDim, batch * outDim).ToArray());
        }
        f.Forward();

        string what = $"{typeof(T).Name} batch={batch} in={inDim} out={outDim}";
        for (int i = 0; i < instances; i++)
        {
            Assert.That(f.Value(dxNode, i), Is.EqualTo(dx.AsSpan(i * batch * inDim, batch * inDim).ToArray()), $"{what} dx instance {i}");
            Assert.That(f.Value(dwNode, i), Is.EqualTo(dw.AsSpan(i * inDim * outDim, inDim * outDim).ToArray()), $"{what} dW instance {i}");
        }
    }
}
