using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using EcsNeural.Systems.Kernels;
using System.Numerics.Tensors;
using EcsNeural.Components;

namespace EcsNeural.Systems.Ops;

/// <summary>Row-by-row walking shared by the broadcasting binary operations (Add, Sub, Mul).</summary>
internal static class Broadcast
{
    /// <summary>A row-wise kernel: y = a ∘ b for equally long spans.</summary>
    public delegate void SpanKernel<T>(ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> y);
    /// <summary>A row-wise kernel: y = a ∘ s for a scalar s.</summary>
    public delegate void ScalarKernel<T>(ReadOnlySpan<T> a, T s, Span<T> y);

    /// <summary>Applies the kernel to every row of every instance, picking b's row (or element) by the broadcast rule.</summary>
    public static void Forward<T>(in OpContext<T> c, SpanKernel<T> spanKernel, ScalarKernel<T> scalarKernel)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        NodeShape aShape = c.InputShape(0), bShape = c.InputShape(1);
        Span<T> a = c.Input(0), b = c.Input(1), y = c.Output;
        if (aShape == bShape)
        {
            spanKernel(a, b, y);
            return;
        }
        if (IsTiledRow(aShape, bShape))
        {
            for (int i = 0; i < c.Instances; i++)
                TiledRows(OpContext<T>.Slice(a, i, aShape.Length), OpContext<T>.Slice(b, i, bShape.Length), OpContext<T>.Slice(y, i, aShape.Length), spanKernel);
            return;
        }
        for (int i = 0; i < c.Instances; i++)
        {
            Span<T> ai = OpContext<T>.Slice(a, i, aShape.Length), bi = OpContext<T>.Slice(b, i, bShape.Length), yi = OpContext<T>.Slice(y, i, aShape.Length);
            for (int r = 0; r < aShape.Rows; r++)
            {
                Span<T> aRow = ai.Slice(r * aShape.Cols, aShape.Cols), yRow = yi.Slice(r * aShape.Cols, aShape.Cols);
                Span<T> bRow = RowOf(bi, bShape, r);
                if (bShape.Cols == aShape.Cols)
                    spanKernel(aRow, bRow, yRow);
                else
                    scalarKernel(aRow, bRow[0], yRow);
            }
        }
    }

    /// <summary>db += sign · (g summed over the axes along which b was broadcast), g having a's shape.</summary>
    public static void ReduceInto<T>(in OpContext<T> c, Span<T> g, Span<T> db, T sign) where T : unmanaged, IFloatingPointIeee754<T>
    {
        NodeShape aShape = c.InputShape(0), bShape = c.InputShape(1);
        if (aShape == bShape)
        {
            TensorPrimitives.MultiplyAdd<T>(g, sign, db, db);
            return;
        }
        if (IsTiledRow(aShape, bShape))
        {
            for (int i = 0; i < c.Instances; i++)
                AddColumnSums(OpContext<T>.Slice(g, i, aShape.Length), default, sign, OpContext<T>.Slice(db, i, bShape.Length));
            return;
        }
        for (int i = 0; i < c.Instances; i++)
        {
            Span<T> gi = OpContext<T>.Slice(g, i, aShape.Length), dbi = OpContext<T>.Slice(db, i, bShape.Length);
            for (int r = 0; r < aShape.Rows; r++)
            {
                Span<T> gRow = gi.Slice(r * aShape.Cols, aShape.Cols);
                Span<T> dbRow = RowOf(dbi, bShape, r);
                if (bShape.Cols == aShape.Cols)
                    TensorPrimitives.MultiplyAdd<T>(gRow, sign, dbRow, dbRow);
                else
                    dbRow[0] += sign * FixedOrderSum.Sum<T>(gRow);
            }
        }
    }

    /// <summary>The row of b (one instance) that meets row <paramref name="r"/> of a.</summary>
    public static Span<T> RowOf<T>(Span<T> bInstance, NodeShape bShape, int r)
        => bInstance.Slice(bShape.Rows == 1 ? 0 : r * bShape.Cols, bShape.Cols);

    /// <summary>
    /// Whether b is one row applied to many rows of a ([R×C] ∘ [1×C], e.g. an observation's mean and scale): those run over
    /// whole tiles of rows (<see cref="TiledRows{T}"/>, <see cref="AddColumnSums{T}"/>) instead of one kernel call per row,
    /// which cost more than the arithmetic for 16,384 rows of 2 or 16 columns.
    /// </summary>
    public static bool IsTiledRow(NodeShape aShape, NodeShape bShape)
        => bShape.Rows == 1 && bShape.Cols == aShape.Cols && aShape.Rows >= MinimumTiledRows;

    /// <summary>Fewest rows of a that go by tiles: below, building the tile costs more than the calls it saves.</summary>
    private const int MinimumTiledRows = 64;

    /// <summary>Elements of one tile of b's row repeated.</summary>
    private const int TileElements = 4096;

    /// <summary>
    /// y = a ∘ b for every row of a, one kernel call per tile of rows against b's row repeated: each element meets the same
    /// b element with the same operation as in a call per row, so the bits are those of the row-by-row loop.
    /// </summary>
    [SkipLocalsInit]
    public static void TiledRows<T>(ReadOnlySpan<T> a, ReadOnlySpan<T> bRow, Span<T> y, SpanKernel<T> kernel) where T : unmanaged
    {
        int cols = bRow.Length, rows = a.Length / cols;
        int tileRows = Math.Min(rows, Math.Max(1, TileElements / cols));
        // On the stack (16 KB of floats): a per-thread buffer would be allocated by each thread that first runs the op.
        Span<T> buffer = tileRows > 1 ? stackalloc T[TileElements] : default;
        ReadOnlySpan<T> tile = tileRows > 1 ? buffer[..(tileRows * cols)] : bRow;
        if (tileRows > 1)
            RepeatRows.Fill(bRow, buffer[..(tileRows * cols)]);
        for (int r = 0; r < rows; r += tileRows)
        {
            int length = Math.Min(tileRows, rows - r) * cols;
            kernel(a.Slice(r * cols, length), tile[..length], y.Slice(r * cols, length));
        }
    }

    /// <summary>
    /// db[j] += Σ over the rows r, in row order, of x[r, j]·(y[r, j], or <paramref name="scale"/> when y is empty): one
    /// separately rounded product and addition per step, as a per-row multiply-add does, run down the columns a vector of
    /// columns at a time.
    /// </summary>
    public static void AddColumnSums<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> y, T scale, Span<T> db) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int cols = db.Length, rows = x.Length / cols, w = Vector512<T>.Count, j = 0;
        bool byScale = y.IsEmpty;
        ref T x0 = ref MemoryMarshal.GetReference(x), y0 = ref MemoryMarshal.GetReference(y), db0 = ref MemoryMarshal.GetReference(db);
        var s = Vector512.Create(scale);
        for (; j + w <= cols; j += w)
        {
            Vector512<T> sum = Vector512.LoadUnsafe(ref db0, (nuint)j);
            for (int r = 0; r < rows; r++)
            {
                nuint at = (nuint)(r * cols + j);
                Vector512<T> term = byScale ? Vector512.LoadUnsafe(ref x0, at) * s : Vector512.LoadUnsafe(ref x0, at) * Vector512.LoadUnsafe(ref y0, at);
                sum = term + sum;
            }
            sum.StoreUnsafe(ref db0, (nuint)j);
        }
        for (; j < cols; j++)
        {
            T sum = db[j];
            for (int r = 0; r < rows; r++)
            {
                int at = r * cols + j;
                sum = (byScale ? Unsafe.Add(ref x0, at) * scale : Unsafe.Add(ref x0, at) * Unsafe.Add(ref y0, at)) + sum;
            }
            db[j] = sum;
        }
    }
}
