using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace EcsNeural.Systems.Kernels;

/// <summary>
/// The NaN/±∞ scan behind <c>ComputeGraph.CheckFinite</c>, cheap enough to run on every value and gradient every step:
/// one FMA per vector and no branch inside the loop (x·0 is ±0 for every finite x and NaN for NaN or ±∞, and a NaN
/// stays NaN through the sum), where an early-exit scan pays a compare and a branch per vector.
/// </summary>
internal static class FiniteScan
{
    /// <summary>True when every element of <paramref name="values"/> is finite.</summary>
    public static bool AllFinite<T>(ReadOnlySpan<T> values) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ref T v = ref MemoryMarshal.GetReference(values);
        int n = values.Length, i = 0;
        if (Vector512.IsHardwareAccelerated && n >= Vector512<T>.Count)
        {
            // Four independent sums hide the FMA latency: one vector per cycle instead of one per four.
            int width = Vector512<T>.Count;
            Vector512<T> a = Vector512<T>.Zero, b = Vector512<T>.Zero, c = Vector512<T>.Zero, d = Vector512<T>.Zero;
            for (; i + 4 * width <= n; i += 4 * width)
            {
                a = SimdOps.Fma(Vector512.LoadUnsafe(ref v, (nuint)i), Vector512<T>.Zero, a);
                b = SimdOps.Fma(Vector512.LoadUnsafe(ref v, (nuint)(i + width)), Vector512<T>.Zero, b);
                c = SimdOps.Fma(Vector512.LoadUnsafe(ref v, (nuint)(i + 2 * width)), Vector512<T>.Zero, c);
                d = SimdOps.Fma(Vector512.LoadUnsafe(ref v, (nuint)(i + 3 * width)), Vector512<T>.Zero, d);
            }
            for (; i + width <= n; i += width)
                a = SimdOps.Fma(Vector512.LoadUnsafe(ref v, (nuint)i), Vector512<T>.Zero, a);
            if (!Vector512.EqualsAll((a + b) + (c + d), Vector512<T>.Zero))
                return false;
        }
        if (Vector256.IsHardwareAccelerated && n - i >= Vector256<T>.Count)
        {
            Vector256<T> a = Vector256<T>.Zero;
            for (; i + Vector256<T>.Count <= n; i += Vector256<T>.Count)
                a = SimdOps.Fma(Vector256.LoadUnsafe(ref v, (nuint)i), Vector256<T>.Zero, a);
            if (!Vector256.EqualsAll(a, Vector256<T>.Zero))
                return false;
        }
        for (; i < n; i++)
        {
            if (!T.IsFinite(Unsafe.Add(ref v, i)))
                return false;
        }
        return true;
    }
}
