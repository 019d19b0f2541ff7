using System.Numerics;
using System.Runtime.InteropServices;

namespace EcsNeural.Systems.Ops;

/// <summary>
/// Vectorised loops for element-wise backward rules that TensorPrimitives has no single call for. Each vector lane does
/// exactly the scalar tail's arithmetic, so an element's result never depends on where it falls in the span.
/// </summary>
internal static class Elementwise
{
    /// <summary>dx += dy ⊙ (1 − y²) (tanh), or dx = dy ⊙ (1 − y²) when <paramref name="overwrite"/>.</summary>
    public static void TanhGradient<T>(ReadOnlySpan<T> y, ReadOnlySpan<T> dy, Span<T> dx, bool overwrite) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int j = 0;
        if (Vector.IsHardwareAccelerated)
        {
            ReadOnlySpan<Vector<T>> yv = MemoryMarshal.Cast<T, Vector<T>>(y), dyv = MemoryMarshal.Cast<T, Vector<T>>(dy);
            Span<Vector<T>> dxv = MemoryMarshal.Cast<T, Vector<T>>(dx);
            if (overwrite)
                for (int v = 0; v < dxv.Length; v++)
                    dxv[v] = dyv[v] * (Vector<T>.One - yv[v] * yv[v]);
            else
                for (int v = 0; v < dxv.Length; v++)
                    dxv[v] += dyv[v] * (Vector<T>.One - yv[v] * yv[v]);
            j = dxv.Length * Vector<T>.Count;
        }
        for (; j < dx.Length; j++)
        {
            T term = dy[j] * (T.One - y[j] * y[j]);
            dx[j] = overwrite ? term : dx[j] + term;
        }
    }

    /// <summary>dx += dy ⊙ y ⊙ (1 − y) (logistic sigmoid).</summary>
    public static void AddSigmoidGradient<T>(ReadOnlySpan<T> y, ReadOnlySpan<T> dy, Span<T> dx) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int j = 0;
        if (Vector.IsHardwareAccelerated)
        {
            ReadOnlySpan<Vector<T>> yv = MemoryMarshal.Cast<T, Vector<T>>(y), dyv = MemoryMarshal.Cast<T, Vector<T>>(dy);
            Span<Vector<T>> dxv = MemoryMarshal.Cast<T, Vector<T>>(dx);
            for (int v = 0; v < dxv.Length; v++)
                dxv[v] += dyv[v] * yv[v] * (Vector<T>.One - yv[v]);
            j = dxv.Length * Vector<T>.Count;
        }
        for (; j < dx.Length; j++)
            dx[j] += dy[j] * y[j] * (T.One - y[j]);
    }
}
