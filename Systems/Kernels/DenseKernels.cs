using System.Numerics;

namespace EcsNeural.Systems.Kernels;

/// <summary>
/// A dense (fully connected) layer applied to a population: many instances, each with its own weights and bias.
/// </summary>
/// <remarks>
/// Layout, per instance i, instances stored one after another: <c>x: [batch][in]</c>, <c>w: [in][out]</c>,
/// <c>b: [out]</c>, <c>y: [batch][out]</c> (and the same for the gradients). Every span covers exactly
/// <c>instances</c> instances. Forward computes <c>y = x·w + b</c>.
/// </remarks>
public static class DenseKernels
{
    /// <summary>Forward pass <c>y = x·w + b</c> for each instance; <paramref name="y"/> is overwritten.</summary>
    /// <param name="x">Inputs, <c>instances·batch·inDim</c> elements.</param>
    /// <param name="w">Weights, <c>instances·inDim·outDim</c> elements.</param>
    /// <param name="b">Biases, <c>instances·outDim</c> elements.</param>
    /// <param name="y">Outputs, <c>instances·batch·outDim</c> elements.</param>
    /// <param name="instances">Number of instances.</param>
    /// <param name="batch">Samples per instance.</param>
    /// <param name="inDim">Input width.</param>
    /// <param name="outDim">Output width.</param>
    public static void Forward<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> w, ReadOnlySpan<T> b, Span<T> y,
        int instances, int batch, int inDim, int outDim) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ValidateShape(instances, batch, inDim, outDim);
        RequireLength(x.Length, instances, batch * inDim, "x");
        RequireLength(w.Length, instances, inDim * outDim, "w");
        RequireLength(b.Length, instances, outDim, "b");
        RequireLength(y.Length, instances, batch * outDim, "y");
        int xSize = batch * inDim, wSize = inDim * outDim, ySize = batch * outDim;
        for (int i = 0; i < instances; i++)
        {
            Span<T> yi = y.Slice(i * ySize, ySize);
            ReadOnlySpan<T> bi = b.Slice(i * outDim, outDim);
            for (int s = 0; s < batch; s++)
                bi.CopyTo(yi.Slice(s * outDim, outDim));
            Gemm.Multiply(x.Slice(i * xSize, xSize), false, w.Slice(i * wSize, wSize), false, yi, batch, outDim, inDim, accumulate: true);
        }
    }

    /// <summary>
    /// Backward pass for each instance: <c>dx = dy·wᵀ</c> (overwritten), <c>dw = xᵀ·dy</c> and <c>db = Σ_batch dy</c>
    /// (added to the existing values when <paramref name="accumulate"/>, otherwise overwritten).
    /// </summary>
    /// <param name="x">Inputs of the forward pass, <c>instances·batch·inDim</c> elements.</param>
    /// <param name="w">Weights, <c>instances·inDim·outDim</c> elements.</param>
    /// <param name="dy">Gradient of the loss with respect to y, <c>instances·batch·outDim</c> elements.</param>
    /// <param name="dx">Gradient with respect to x, <c>instances·batch·inDim</c> elements, or empty to skip it (first layer).</param>
    /// <param name="dw">Gradient with respect to w, <c>instances·inDim·outDim</c> elements.</param>
    /// <param name="db">Gradient with respect to b, <c>instances·outDim</c> elements.</param>
    /// <param name="instances">Number of instances.</param>
    /// <param name="batch">Samples per instance.</param>
    /// <param name="inDim">Input width.</param>
    /// <param name="outDim">Output width.</param>
    /// <param name="accumulate">Add into <paramref name="dw"/> and <paramref name="db"/> instead of overwriting them.</param>
    public static void Backward<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> w, ReadOnlySpan<T> dy,
        Span<T> dx, Span<T> dw, Span<T> db, int instances, int batch, int inDim, int outDim, bool accumulate)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ValidateShape(instances, batch, inDim, outDim);
        RequireLength(x.Length, instances, batch * inDim, "x");
        RequireLength(w.Length, instances, inDim * outDim, "w");
        RequireLength(dy.Length, instances, batch * outDim, "dy");
        if (!dx.IsEmpty)
            RequireLength(dx.Length, instances, batch * inDim, "dx");
        RequireLength(dw.Length, instances, inDim * outDim, "dw");
        RequireLength(db.Length, instances, outDim, "db");
        int xSize = batch * inDim, wSize = inDim * outDim, ySize = batch * outDim;
        for (int i = 0; i < instances; i++)
        {
            ReadOnlySpan<T> xi = x.Slice(i * xSize, xSize);
            ReadOnlySpan<T> wi = w.Slice(i * wSize, wSize);
            ReadOnlySpan<T> dyi = dy.Slice(i * ySize, ySize);
            if (!dx.IsEmpty)
                Gemm.Multiply(dyi, false, wi, true, dx.Slice(i * xSize, xSize), batch, inDim, outDim, accumulate: false);
            Gemm.Multiply(xi, true, dyi, false, dw.Slice(i * wSize, wSize), inDim, outDim, batch, accumulate);
            Span<T> dbi = db.Slice(i * outDim, outDim);
            if (!accumulate)
                dbi.Clear();
            for (int s = 0; s < batch; s++)
            {
                ReadOnlySpan<T> row = dyi.Slice(s * outDim, outDim);
                for (int o = 0; o < outDim; o++)
                    dbi[o] += row[o];
            }
        }
    }

    private static void ValidateShape(int instances, int batch, int inDim, int outDim)
    {
        if (instances < 0 || batch < 0 || inDim < 0 || outDim < 0)
            throw new ArgumentOutOfRangeException(nameof(instances),
                $"DenseKernels: sizes must be non-negative, got instances={instances}, batch={batch}, in={inDim}, out={outDim}.");
    }

    private static void RequireLength(int actual, int instances, int perInstance, string name)
    {
        long expected = (long)instances * perInstance;
        if (actual != expected)
            throw new ArgumentException(
                $"DenseKernels: {name} holds {actual} elements but {instances} instances × {perInstance} = {expected} are expected.", name);
    }
}
