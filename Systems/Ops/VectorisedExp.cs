using System.Numerics;
using System.Numerics.Tensors;

namespace EcsNeural.Systems.Ops;

/// <summary>
/// One element's exponent and what to do with its eˣ, for <see cref="VectorisedExp.ForEach"/>. Terms are ordinary structs
/// over array segments, not span-holding ref structs: .NET 8 cannot take a ref struct as a type argument.
/// </summary>
internal interface IExpTerm<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>The exponent x of flat element <paramref name="index"/>.</summary>
    T Exponent(int index);

    /// <summary>Consumes eˣ of flat element <paramref name="index"/> (called once per element, in index order).</summary>
    void Use(int index, T exp);
}

/// <summary>
/// eˣ for every element of a flat tensor through <c>TensorPrimitives.Exp</c>, chunk by chunk in a stack buffer, so a
/// numeric backward kernel gets the very eˣ the graph's vectorised Exp node computes (a scalar <c>T.Exp</c> can be
/// 1 ulp away, which a later cancellation magnifies). Every chunk holds <see cref="Chunk"/> elements (the last one
/// overlaps its predecessor) so no element falls to the library's scalar tail.
/// </summary>
internal static class VectorisedExp
{
    private const int Chunk = 64;

    public static void ForEach<T, TTerm>(int length, ref TTerm term)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TTerm : struct, IExpTerm<T>
    {
        Span<T> buffer = stackalloc T[Chunk];
        for (int done = 0; done < length;)
        {
            int start = Math.Max(0, Math.Min(done, length - Chunk));
            Span<T> exps = buffer[..Math.Min(Chunk, length - start)];
            for (int k = 0; k < exps.Length; k++)
                exps[k] = term.Exponent(start + k);
            TensorPrimitives.Exp<T>(exps, exps);
            for (int g = done; g < start + exps.Length; g++)
                term.Use(g, exps[g - start]);
            done = start + exps.Length;
        }
    }
}
