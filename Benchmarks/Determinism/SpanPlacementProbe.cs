using System.Numerics;
using System.Numerics.Tensors;
using EcsNeural.Systems.Kernels;

namespace EcsNeural.Benchmarks.Determinism;

/// <summary>
/// Does an element's result depend on where it sits in a span? Each function runs over 136 fixed inputs placed at every
/// start offset 0–7 inside longer spans, in spans of 1–15 elements, and alone; an element counts when its bits are not
/// the same in every placement. <c>TensorPrimitives</c> against our <see cref="ElementMath"/>.
/// </summary>
public static class SpanPlacementProbe
{
    private const int Count = 136;

    private delegate void SpanFunction<T>(ReadOnlySpan<T> x, Span<T> y);

    public static void Run(TextWriter output)
    {
        output.WriteLine($"Element-wise functions: of {Count} inputs, how many change bits with their place in the span "
            + "(start offsets 0–7, spans of 1–15 elements, alone)");
        output.WriteLine($"{"function",-22} {"float TensorPrimitives",22} {"float ours",10} {"double TensorPrimitives",23} {"double ours",11}");
        foreach ((string name, double low, double high) in new[]
        {
            ("Exp [-1000, 0]", -1000.0, 0.0), ("Exp [-10, 10]", -10, 10), ("Sin [-10, 10]", -10, 10), ("Cos [-10, 10]", -10, 10),
            ("Tanh [-5, 5]", -5, 5), ("Sigmoid [-10, 10]", -10, 10), ("Log [0.001, 100]", 0.001, 100),
        })
        {
            string function = name[..name.IndexOf(' ')];
            output.WriteLine($"{name,-22} {Changed(Library<float>(function), low, high),22} {Changed(Ours<float>(function), low, high),10} "
                + $"{Changed(Library<double>(function), low, high),23} {Changed(Ours<double>(function), low, high),11}");
        }
    }

    private static int Changed<T>(SpanFunction<T> f, double low, double high) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var random = new Random(13);
        T[] x = [.. Enumerable.Range(0, Count).Select(_ => T.CreateTruncating(low + (high - low) * random.NextDouble()))];
        var reference = new T[Count];
        f(x, reference);
        var changed = new bool[Count];
        void Compare(int first, ReadOnlySpan<T> results)
        {
            for (int i = 0; i < results.Length; i++)
                changed[first + i] |= Bits(results[i]) != Bits(reference[first + i]);
        }
        T[] shifted = new T[Count + 8], y = new T[Count + 8];
        for (int offset = 1; offset < 8; offset++)
        {
            x.CopyTo(shifted, offset);
            f(shifted.AsSpan(0, Count + offset), y.AsSpan(0, Count + offset));
            Compare(0, y.AsSpan(offset, Count));
        }
        for (int length = 1; length < 16; length++)
            for (int first = 0; first + length <= Count; first += length)
            {
                f(x.AsSpan(first, length), y.AsSpan(0, length));
                Compare(first, y.AsSpan(0, length));
            }
        return changed.Count(c => c);
    }

    private static long Bits<T>(T value) where T : IFloatingPointIeee754<T> => BitConverter.DoubleToInt64Bits(double.CreateTruncating(value));

    private static SpanFunction<T> Library<T>(string name) where T : unmanaged, IFloatingPointIeee754<T> => name switch
    {
        "Exp" => TensorPrimitives.Exp,
        "Sin" => TensorPrimitives.Sin,
        "Cos" => TensorPrimitives.Cos,
        "Tanh" => TensorPrimitives.Tanh,
        "Sigmoid" => TensorPrimitives.Sigmoid,
        "Log" => TensorPrimitives.Log,
        _ => throw new ArgumentException(name),
    };

    private static SpanFunction<T> Ours<T>(string name) where T : unmanaged, IFloatingPointIeee754<T> => name switch
    {
        "Exp" => ElementMath.Exp,
        "Sin" => ElementMath.Sin,
        "Cos" => ElementMath.Cos,
        "Tanh" => ElementMath.Tanh,
        "Sigmoid" => ElementMath.Sigmoid,
        "Log" => ElementMath.Log,
        _ => throw new ArgumentException(name),
    };
}
