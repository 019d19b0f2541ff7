using System.Text;

namespace EcsNeural.Ecs.Generators;

/// <summary>
/// <c>World.Query</c> with a <c>ForEach</c> or <c>ForEachWithEntity</c> lambda and <c>World.InlineQuery</c> with an
/// <c>IForEach</c> struct, each with its row loop.
/// </summary>
internal static class QuerySource
{
    private const string Header = """
        // Each form visits matching archetypes in creation order and rows in storage order; structural changes are
        // refused while it runs. The row loops live in their own methods, outside the try/finally of the iteration's
        // `using`: inside it the JIT keeps column references on the stack and reloads them for every entity. The
        // struct-body loop is compiled fully optimised at once, since it is specialised per body struct and gains
        // nothing from tiering, whose intermediate (on-stack replacement) code is several times slower. It takes four
        // rows per iteration and advances the column references by four, so the inlined bodies address
        // [column + constant] instead of recomputing base + 4i per row: a small body then runs at the memory units'
        // pace, and a one-row loop's speed no longer depends on where its few bytes of code happen to land.

        """;

    public static string Text()
    {
        StringBuilder text = Arity.File("using System.Runtime.CompilerServices;\nusing System.Runtime.InteropServices;\n");
        text.Append(Header).Append("public sealed partial class World\n{\n");
        for (int n = 1; n <= Arity.Max; n++) Append(text, n);
        return text.Append("}\n").ToString();
    }

    private static void Append(StringBuilder text, int n)
    {
        string types = Arity.Types(n);
        string constraints = Arity.Constraints(n, "        ");
        string columns = Arity.Each(n, i => $"        ref T{i} c{i} = ref archetype.ColumnBase<T{i}>();", "\n");
        string rowI = Arity.Each(n, i => $"ref Unsafe.Add(ref c{i}, i)");
        text.Append($$"""
                /// <summary>Calls <paramref name="body"/> for every entity matching <paramref name="query"/>, with references to its {{types}}.</summary>
                /// <exception cref="InvalidOperationException">A matching archetype lacks one of the components (put them in <c>WithAll</c>).</exception>
                public void Query<{{types}}>(in QueryDescription query, ForEach<{{types}}> body)
            {{constraints}}
                {
                    ArgumentNullException.ThrowIfNull(body);
                    using var iteration = new ArchetypeIteration(this, in query);
                    foreach (Archetype archetype in iteration.Archetypes)
                    {
                        if (archetype.Count > 0) EachRow(archetype, body);
                    }
                }

                /// <summary>Calls <paramref name="body"/> for every entity matching <paramref name="query"/>, with the entity and references to its {{types}}.</summary>
                /// <exception cref="InvalidOperationException">A matching archetype lacks one of the components (put them in <c>WithAll</c>).</exception>
                public void Query<{{types}}>(in QueryDescription query, ForEachWithEntity<{{types}}> body)
            {{constraints}}
                {
                    ArgumentNullException.ThrowIfNull(body);
                    using var iteration = new ArchetypeIteration(this, in query);
                    foreach (Archetype archetype in iteration.Archetypes)
                    {
                        if (archetype.Count > 0) EachRow(archetype, body);
                    }
                }

                /// <summary>
                /// Calls <paramref name="body"/>.Update for every entity matching <paramref name="query"/>. The loop is
                /// specialised for <typeparamref name="TBody"/>, so the call is inlined; state kept in the struct is
                /// visible to the caller afterwards (it is passed by reference).
                /// </summary>
                /// <exception cref="InvalidOperationException">A matching archetype lacks one of the components (put them in <c>WithAll</c>).</exception>
                public void InlineQuery<TBody, {{types}}>(in QueryDescription query, ref TBody body)
                    where TBody : struct, IForEach<{{types}}>
            {{constraints}}
                {
                    using var iteration = new ArchetypeIteration(this, in query);
                    foreach (Archetype archetype in iteration.Archetypes)
                    {
                        if (archetype.Count > 0) EachRow<TBody, {{types}}>(archetype, ref body);
                    }
                }

                [MethodImpl(MethodImplOptions.NoInlining)]
                private static void EachRow<{{types}}>(Archetype archetype, ForEach<{{types}}> body)
            {{constraints}}
                {
                    nint count = archetype.Count;
            {{columns}}
                    for (nint i = 0; i < count; i++) body({{rowI}});
                }

                [MethodImpl(MethodImplOptions.NoInlining)]
                private static void EachRow<{{types}}>(Archetype archetype, ForEachWithEntity<{{types}}> body)
            {{constraints}}
                {
                    nint count = archetype.Count;
                    ref Entity entities = ref MemoryMarshal.GetArrayDataReference(archetype.Entities);
            {{columns}}
                    for (nint i = 0; i < count; i++) body(Unsafe.Add(ref entities, i), {{rowI}});
                }

                [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
                private static void EachRow<TBody, {{types}}>(Archetype archetype, ref TBody body)
                    where TBody : struct, IForEach<{{types}}>
            {{constraints}}
                {
                    nint count = archetype.Count;
                    ref Entity entities = ref MemoryMarshal.GetArrayDataReference(archetype.Entities);
            {{columns}}
                    for (nint quads = count / 4; quads > 0; quads--)
                    {
                        body.Update(entities, {{Arity.Each(n, i => $"ref c{i}")}});
                        body.Update(Unsafe.Add(ref entities, 1), {{Arity.Each(n, i => $"ref Unsafe.Add(ref c{i}, 1)")}});
                        body.Update(Unsafe.Add(ref entities, 2), {{Arity.Each(n, i => $"ref Unsafe.Add(ref c{i}, 2)")}});
                        body.Update(Unsafe.Add(ref entities, 3), {{Arity.Each(n, i => $"ref Unsafe.Add(ref c{i}, 3)")}});
                        entities = ref Unsafe.Add(ref entities, 4);
            {{Arity.Each(n, i => $"            c{i} = ref Unsafe.Add(ref c{i}, 4);", "\n")}}
                    }
                    for (nint i = 0; i < count % 4; i++) body.Update(Unsafe.Add(ref entities, i), {{rowI}});
                }


            """);
    }
}
