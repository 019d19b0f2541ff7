using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace EcsNeural.Systems.Kernels;

/// <summary>
/// The register-blocked inner kernel of <see cref="PackedGemm"/>: a tile of C held in accumulators, updated by one FMA
/// per accumulator per step of the inner dimension. With AVX-512 the tile is 8 rows × 2 Vector512 (16 of the 32 zmm
/// registers); with 256-bit vectors only, 6 rows × 2 Vector256 (<see cref="Run256"/>: 12 of the 16 ymm registers — the
/// 8 × 2-vector tile run as 256-bit pairs needed 32 and spilled, W5 at 2× PyTorch's time on a Zen 3).
/// </summary>
/// <remarks>
/// Per step the 512-bit tile loads two vectors of packed B and broadcasts eight values of packed A: 10 loads for 16
/// FMAs, well within two loads per cycle, and 16 independent FMA chains hide the FMA latency; the 256-bit tile, 8 loads
/// for 12 FMAs. Each element is one chain of multiply-adds along the depth whatever the tile, so the tile shape never
/// changes a bit.
/// </remarks>
internal static partial class GemmMicroKernel
{
    /// <summary>Rows of the C tile: 8 with AVX-512, 6 with 256-bit vectors (JIT-time constants).</summary>
    public static int Rows => Vector512.IsHardwareAccelerated ? 8 : 6;

    /// <summary>Columns of the C tile: two vectors.</summary>
    public static int Columns<T>() => 2 * (Vector512.IsHardwareAccelerated ? Vector512<T>.Count : Vector256<T>.Count);

    /// <summary>
    /// C tile (rows × cols valid; element (r, j) at <paramref name="c"/> + r·rowStride + j·colStride) =
    /// (add ? C : 0) + A panel · B panel over <paramref name="depth"/> steps, B's two vectors of a step at
    /// <paramref name="b"/> and each step <paramref name="ldb"/> further (2 vectors for a packed panel, a row of B read in
    /// place, which must hold both vectors). A column stride other than 1 writes the tile transposed (used when C is
    /// computed as (Cᵀ)ᵀ for narrow outputs). Where row r's value at each step is comes from <typeparamref name="TPanel"/>:
    /// a packed panel (<see cref="PackedPanel"/>) or row-major A read in place, rows <paramref name="lda"/> apart
    /// (<see cref="RowMajorPanel"/>); the JIT compiles each layout on its own. Runs the 512-bit tile with AVX-512, the
    /// 256-bit one (<see cref="Run256"/>) otherwise. Each element is one chain of multiply-adds along the depth, so neither
    /// the tile nor the lane count changes its rounding; <typeparamref name="TNumerics"/> does.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Run<T, TPanel, TNumerics>(int depth, ref T a, int lda, ref T b, int ldb, ref T c, int rowStride, int colStride,
        int rows, int cols, bool add)
        where T : unmanaged where TPanel : struct, IPanelLayout where TNumerics : struct, IKernelNumerics
    {
        if (Vector512.IsHardwareAccelerated)
            Run512<T, TPanel, TNumerics>(depth, ref a, lda, ref b, ldb, ref c, rowStride, colStride, rows, cols, add);
        else
            Run256<T, TPanel, TNumerics>(depth, ref a, lda, ref b, ldb, ref c, rowStride, colStride, rows, cols, add);
    }

    [SkipLocalsInit]
    private static void Run512<T, TPanel, TNumerics>(int depth, ref T a, int lda, ref T b, int ldb, ref T c, int rowStride, int colStride,
        int rows, int cols, bool add)
        where T : unmanaged where TPanel : struct, IPanelLayout where TNumerics : struct, IKernelNumerics
    {
        int w = Vector512<T>.Count;
        Vector512<T> c0a = default, c0b = default, c1a = default, c1b = default, c2a = default, c2b = default, c3a = default, c3b = default;
        Vector512<T> c4a = default, c4b = default, c5a = default, c5b = default, c6a = default, c6b = default, c7a = default, c7b = default;
        nint r1 = TPanel.Row(1, lda), r2 = TPanel.Row(2, lda), r3 = TPanel.Row(3, lda), r4 = TPanel.Row(4, lda);
        nint r5 = TPanel.Row(5, lda), r6 = TPanel.Row(6, lda), r7 = TPanel.Row(7, lda);
        ref T pa = ref a;
        ref T pb = ref b;
        for (int p = 0; p < depth; p++)
        {
            Vector512<T> b0 = Vector512.LoadUnsafe(ref pb);
            Vector512<T> b1 = Vector512.LoadUnsafe(ref pb, (nuint)w);
            Vector512<T> x = Vector512.Create(pa);
            c0a = TNumerics.MultiplyAdd(x, b0, c0a); c0b = TNumerics.MultiplyAdd(x, b1, c0b);
            x = Vector512.Create(Unsafe.Add(ref pa, r1));
            c1a = TNumerics.MultiplyAdd(x, b0, c1a); c1b = TNumerics.MultiplyAdd(x, b1, c1b);
            x = Vector512.Create(Unsafe.Add(ref pa, r2));
            c2a = TNumerics.MultiplyAdd(x, b0, c2a); c2b = TNumerics.MultiplyAdd(x, b1, c2b);
            x = Vector512.Create(Unsafe.Add(ref pa, r3));
            c3a = TNumerics.MultiplyAdd(x, b0, c3a); c3b = TNumerics.MultiplyAdd(x, b1, c3b);
            x = Vector512.Create(Unsafe.Add(ref pa, r4));
            c4a = TNumerics.MultiplyAdd(x, b0, c4a); c4b = TNumerics.MultiplyAdd(x, b1, c4b);
            x = Vector512.Create(Unsafe.Add(ref pa, r5));
            c5a = TNumerics.MultiplyAdd(x, b0, c5a); c5b = TNumerics.MultiplyAdd(x, b1, c5b);
            x = Vector512.Create(Unsafe.Add(ref pa, r6));
            c6a = TNumerics.MultiplyAdd(x, b0, c6a); c6b = TNumerics.MultiplyAdd(x, b1, c6b);
            x = Vector512.Create(Unsafe.Add(ref pa, r7));
            c7a = TNumerics.MultiplyAdd(x, b0, c7a); c7b = TNumerics.MultiplyAdd(x, b1, c7b);
            pa = ref Unsafe.Add(ref pa, TPanel.Step(lda));
            pb = ref Unsafe.Add(ref pb, ldb);
        }

        if (rows == 8 && cols == 2 * w && colStride == 1)
        {
            int ldc = rowStride;
            StoreRow(ref c, w, add, c0a, c0b);
            StoreRow(ref Unsafe.Add(ref c, ldc), w, add, c1a, c1b);
            StoreRow(ref Unsafe.Add(ref c, 2 * ldc), w, add, c2a, c2b);
            StoreRow(ref Unsafe.Add(ref c, 3 * ldc), w, add, c3a, c3b);
            StoreRow(ref Unsafe.Add(ref c, 4 * ldc), w, add, c4a, c4b);
            StoreRow(ref Unsafe.Add(ref c, 5 * ldc), w, add, c5a, c5b);
            StoreRow(ref Unsafe.Add(ref c, 6 * ldc), w, add, c6a, c6b);
            StoreRow(ref Unsafe.Add(ref c, 7 * ldc), w, add, c7a, c7b);
            return;
        }

        // Edge or transposed tile: spill to the stack, then copy only the valid part.
        Span<T> tile = stackalloc T[8 * 2 * Vector512<byte>.Count / Unsafe.SizeOf<T>()];
        ref T t = ref tile[0];
        int stride = 2 * w;
        c0a.StoreUnsafe(ref t, 0); c0b.StoreUnsafe(ref t, (nuint)w);
        c1a.StoreUnsafe(ref t, (nuint)stride); c1b.StoreUnsafe(ref t, (nuint)(stride + w));
        c2a.StoreUnsafe(ref t, (nuint)(2 * stride)); c2b.StoreUnsafe(ref t, (nuint)(2 * stride + w));
        c3a.StoreUnsafe(ref t, (nuint)(3 * stride)); c3b.StoreUnsafe(ref t, (nuint)(3 * stride + w));
        c4a.StoreUnsafe(ref t, (nuint)(4 * stride)); c4b.StoreUnsafe(ref t, (nuint)(4 * stride + w));
        c5a.StoreUnsafe(ref t, (nuint)(5 * stride)); c5b.StoreUnsafe(ref t, (nuint)(5 * stride + w));
        c6a.StoreUnsafe(ref t, (nuint)(6 * stride)); c6b.StoreUnsafe(ref t, (nuint)(6 * stride + w));
        c7a.StoreUnsafe(ref t, (nuint)(7 * stride)); c7b.StoreUnsafe(ref t, (nuint)(7 * stride + w));
        CopyValid(ref t, stride, ref c, rowStride, colStride, rows, cols, add);
    }

    /// <summary>The valid rows × cols of a tile spilled at <paramref name="t"/> (rows <paramref name="stride"/> apart) into C.</summary>
    private static void CopyValid<T>(ref T t, int stride, ref T c, int rowStride, int colStride, int rows, int cols, bool add) where T : unmanaged
    {
        for (int r = 0; r < rows; r++)
        {
            ref T dstRow = ref Unsafe.Add(ref c, (nint)r * rowStride);
            ref T src = ref Unsafe.Add(ref t, r * stride);
            for (int j = 0; j < cols; j++)
            {
                ref T dst = ref Unsafe.Add(ref dstRow, (nint)j * colStride);
                dst = add ? Add(dst, Unsafe.Add(ref src, j)) : Unsafe.Add(ref src, j);
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreRow<T>(ref T c, int w, bool add, Vector512<T> lo, Vector512<T> hi) where T : unmanaged
    {
        if (add)
        {
            lo += Vector512.LoadUnsafe(ref c);
            hi += Vector512.LoadUnsafe(ref c, (nuint)w);
        }
        lo.StoreUnsafe(ref c);
        hi.StoreUnsafe(ref c, (nuint)w);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static T Add<T>(T x, T y) where T : unmanaged
        => (Vector128.CreateScalarUnsafe(x) + Vector128.CreateScalarUnsafe(y)).ToScalar();

    /// <summary>Where row r of an A panel is, and how far one step of the inner dimension moves.</summary>
    public interface IPanelLayout
    {
        /// <summary>Offset of row <paramref name="r"/> from row 0 (A stored with leading dimension <paramref name="lda"/>).</summary>
        static abstract nint Row(int r, int lda);

        /// <summary>Offset from one step of the inner dimension to the next.</summary>
        static abstract nint Step(int lda);
    }

    /// <summary>A packed panel (<see cref="GemmPacking.PackA{T}"/>): the 8 rows' values of a step side by side.</summary>
    public readonly struct PackedPanel : IPanelLayout
    {
        public static nint Row(int r, int lda) => r;
        public static nint Step(int lda) => Rows;
    }

    /// <summary>Row-major A in place: a row's steps side by side, rows lda apart.</summary>
    public readonly struct RowMajorPanel : IPanelLayout
    {
        public static nint Row(int r, int lda) => (nint)r * lda;
        public static nint Step(int lda) => 1;
    }

    /// <summary>A stored k×m read in place as Aᵀ (a weight gradient's x): a step's rows side by side, steps lda apart.</summary>
    public readonly struct ColumnMajorPanel : IPanelLayout
    {
        public static nint Row(int r, int lda) => r;
        public static nint Step(int lda) => lda;
    }
}
