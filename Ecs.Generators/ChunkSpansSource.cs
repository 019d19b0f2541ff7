using System.Text;

namespace EcsNeural.Ecs.Generators;

/// <summary>
/// <c>Chunk.GetSpans&lt;T0, …&gt;()</c> for two or more columns and the <c>ChunkSpans</c> it returns: spans cannot be
/// tuple elements (they live on the stack only), so a ref struct holds them and deconstructs like a tuple.
/// </summary>
internal static class ChunkSpansSource
{
    public static string Text()
    {
        StringBuilder text = Arity.File("");
        text.Append("public readonly partial struct Chunk\n{\n");
        for (int n = 2; n <= Arity.Max; n++)
        {
            string types = Arity.Types(n);
            text.Append($$"""
                    /// <summary>
                    /// The {{types}} columns of this chunk, each <see cref="Count"/> elements long, rows in the same order:
                    /// <c>var (positions, velocities) = chunk.GetSpans&lt;Position, Velocity&gt;();</c>
                    /// </summary>
                    /// <exception cref="InvalidOperationException">The chunk lacks one of the components, or is stale.</exception>
                    public ChunkSpans<{{types}}> GetSpans<{{types}}>()
                {{Arity.Constraints(n, "        ")}}
                        => new({{Arity.Each(n, i => $"GetSpan<T{i}>()")}});


                """);
        }
        text.Append("}\n\n");

        for (int n = 2; n <= Arity.Max; n++)
        {
            string types = Arity.Types(n);
            text.Append($$"""
                /// <summary>Columns {{types}} of one chunk, from <see cref="Chunk.GetSpans{{"{" + types + "}"}}"/>; deconstruct it like a tuple.</summary>
                public readonly ref struct ChunkSpans<{{types}}>
                {{Arity.Constraints(n, "    ")}}
                {
                {{Arity.Each(n, i => $"    /// <summary>The T{i} column.</summary>\n    public readonly Span<T{i}> Span{i};", "\n\n")}}

                    internal ChunkSpans({{Arity.Each(n, i => $"Span<T{i}> span{i}")}})
                    {
                {{Arity.Each(n, i => $"        Span{i} = span{i};", "\n")}}
                    }

                    /// <summary>The spans, in type order.</summary>
                    public void Deconstruct({{Arity.Each(n, i => $"out Span<T{i}> span{i}")}})
                    {
                {{Arity.Each(n, i => $"        span{i} = Span{i};", "\n")}}
                    }
                }


                """);
        }
        return text.ToString();
    }
}
