using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace EcsNeural.Systems.Kernels;

internal static partial class GemmMicroKernel
{
    /// <summary>
    /// The tile for CPUs whose widest vectors are 256 bits: 6 rows × 2 Vector256 in 12 accumulators, leaving the other
    /// four ymm registers for the step's two B vectors and one broadcast of A. Same contract as <see cref="Run{T, TPanel, TNumerics}"/>.
    /// </summary>
    [SkipLocalsInit]
    private static void Run256<T, TPanel, TNumerics>(int depth, ref T a, int lda, ref T b, int ldb, ref T c, int rowStride, int colStride,
        int rows, int cols, bool add)
        where T : unmanaged where TPanel : struct, IPanelLayout where TNumerics : struct, IKernelNumerics
    {
        int w = Vector256<T>.Count;
        Vector256<T> c0a = default, c0b = default, c1a = default, c1b = default, c2a = default, c2b = default;
        Vector256<T> c3a = default, c3b = default, c4a = default, c4b = default, c5a = default, c5b = default;
        nint r1 = TPanel.Row(1, lda), r2 = TPanel.Row(2, lda), r3 = TPanel.Row(3, lda), r4 = TPanel.Row(4, lda), r5 = TPanel.Row(5, lda);
        ref T pa = ref a;
        ref T pb = ref b;
        for (int p = 0; p < depth; p++)
        {
            Vector256<T> b0 = Vector256.LoadUnsafe(ref pb);
            Vector256<T> b1 = Vector256.LoadUnsafe(ref pb, (nuint)w);
            Vector256<T> x = Vector256.Create(pa);
            c0a = TNumerics.MultiplyAdd(x, b0, c0a); c0b = TNumerics.MultiplyAdd(x, b1, c0b);
            x = Vector256.Create(Unsafe.Add(ref pa, r1));
            c1a = TNumerics.MultiplyAdd(x, b0, c1a); c1b = TNumerics.MultiplyAdd(x, b1, c1b);
            x = Vector256.Create(Unsafe.Add(ref pa, r2));
            c2a = TNumerics.MultiplyAdd(x, b0, c2a); c2b = TNumerics.MultiplyAdd(x, b1, c2b);
            x = Vector256.Create(Unsafe.Add(ref pa, r3));
            c3a = TNumerics.MultiplyAdd(x, b0, c3a); c3b = TNumerics.MultiplyAdd(x, b1, c3b);
            x = Vector256.Create(Unsafe.Add(ref pa, r4));
            c4a = TNumerics.MultiplyAdd(x, b0, c4a); c4b = TNumerics.MultiplyAdd(x, b1, c4b);
            x = Vector256.Create(Unsafe.Add(ref pa, r5));
            c5a = TNumerics.MultiplyAdd(x, b0, c5a); c5b = TNumerics.MultiplyAdd(x, b1, c5b);
            pa = ref Unsafe.Add(ref pa, TPanel.Step(lda));
            pb = ref Unsafe.Add(ref pb, ldb);
        }

        if (rows == 6 && cols == 2 * w && colStride == 1)
        {
            int ldc = rowStride;
            StoreRow(ref c, w, add, c0a, c0b);
            StoreRow(ref Unsafe.Add(ref c, ldc), w, add, c1a, c1b);
            StoreRow(ref Unsafe.Add(ref c, 2 * ldc), w, add, c2a, c2b);
            StoreRow(ref Unsafe.Add(ref c, 3 * ldc), w, add, c3a, c3b);
            StoreRow(ref Unsafe.Add(ref c, 4 * ldc), w, add, c4a, c4b);
            StoreRow(ref Unsafe.Add(ref c, 5 * ldc), w, add, c5a, c5b);
            return;
        }

        Span<T> tile = stackalloc T[6 * 2 * Vector256<byte>.Count / Unsafe.SizeOf<T>()];
        ref T t = ref tile[0];
        int stride = 2 * w;
        c0a.StoreUnsafe(ref t, 0); c0b.StoreUnsafe(ref t, (nuint)w);
        c1a.StoreUnsafe(ref t, (nuint)stride); c1b.StoreUnsafe(ref t, (nuint)(stride + w));
        c2a.StoreUnsafe(ref t, (nuint)(2 * stride)); c2b.StoreUnsafe(ref t, (nuint)(2 * stride + w));
        c3a.StoreUnsafe(ref t, (nuint)(3 * stride)); c3b.StoreUnsafe(ref t, (nuint)(3 * stride + w));
        c4a.StoreUnsafe(ref t, (nuint)(4 * stride)); c4b.StoreUnsafe(ref t, (nuint)(4 * stride + w));
        c5a.StoreUnsafe(ref t, (nuint)(5 * stride)); c5b.StoreUnsafe(ref t, (nuint)(5 * stride + w));
        CopyValid(ref t, stride, ref c, rowStride, colStride, rows, cols, add);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreRow<T>(ref T c, int w, bool add, Vector256<T> lo, Vector256<T> hi) where T : unmanaged
    {
        if (add)
        {
            lo += Vector256.LoadUnsafe(ref c);
            hi += Vector256.LoadUnsafe(ref c, (nuint)w);
        }
        lo.StoreUnsafe(ref c);
        hi.StoreUnsafe(ref c, (nuint)w);
    }
}
