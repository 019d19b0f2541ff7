using System.Numerics;
using System.Numerics.Tensors;

namespace EcsNeural.Systems.Ops;

/// <summary>Row-wise log-softmax y = z − max z − log Σ e^(z − max z); dz += dy − softmax(z)·Σdy.</summary>
internal static class LogSoftmax
{
    public static void Forward<T>(in OpContext<T> c) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int cols = c.InputShape(0).Cols;
        Span<T> z = c.Input(0), y = c.Output;
        for (int r = 0; r < y.Length / cols; r++)
        {
            Span<T> zRow = z.Slice(r * cols, cols);
            TensorPrimitives.Subtract<T>(zRow, LogSumExp.Of<T>(zRow), y.Slice(r * cols, cols));
        }
    }

    public static void Backward<T>(in OpContext<T> c) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int cols = c.InputShape(0).Cols;
        Span<T> y = c.Output, dy = c.OutputGradient, dz = c.InputGradient(0);
        for (int r = 0; r < y.Length / cols; r++)
        {
            Span<T> yRow = y.Slice(r * cols, cols), dyRow = dy.Slice(r * cols, cols), dzRow = dz.Slice(r * cols, cols);
            T total = TensorPrimitives.Sum<T>(dyRow);
            for (int j = 0; j < cols; j++)
                dzRow[j] += dyRow[j] - T.Exp(yRow[j]) * total;
        }
    }
}
