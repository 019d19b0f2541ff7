using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace EcsNeural.Ecs;

// The three ways to iterate, one method per component count. Each visits matching archetypes in
// creation order and rows in storage order; structural changes are refused while they run.
// The row loops live in their own methods, outside the try/finally of the iteration's `using`: inside
// it the JIT keeps column references on the stack and reloads them for every entity. The struct-body loop is compiled fully
// optimised at once, since it is specialised per body struct and gains nothing from tiering, whose
// intermediate (on-stack replacement) code is several times slower. It takes four rows per iteration and
// advances the column references by four, so the inlined bodies address [column + constant] instead of
// recomputing base + 4i per row: a small body then runs at the memory units' pace (0.18 / 0.23 / 0.41 ns
// instead of 0.27 / 0.28-0.54 / 0.55 for the benchmark's 1-3 component loops), and a one-row loop's speed
// no longer depends on where its few bytes of code happen to land.
public sealed partial class World
{
    /// <summary>Calls <paramref name="body"/> for every entity matching <paramref name="query"/>, with references to its T0.</summary>
    /// <exception cref="InvalidOperationException">A matching archetype lacks one of the components (put them in <c>WithAll</c>).</exception>
    public void Query<T0>(in QueryDescription query, ForEach<T0> body)
        where T0 : unmanaged
    {
        ArgumentNullException.ThrowIfNull(body);
        using var iteration = new ArchetypeIteration(this, in query);
        foreach (Archetype archetype in iteration.Archetypes)
        {
            if (archetype.Count > 0) EachRow(archetype, body);
        }
    }

    /// <summary>Calls <paramref name="body"/> for every entity matching <paramref name="query"/>, with the entity and references to its T0.</summary>
    /// <exception cref="InvalidOperationException">A matching archetype lacks one of the components (put them in <c>WithAll</c>).</exception>
    public void Query<T0>(in QueryDescription query, ForEachWithEntity<T0> body)
        where T0 : unmanaged
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
    public void InlineQuery<TBody, T0>(in QueryDescription query, ref TBody body)
        where TBody : struct, IForEach<T0>
        where T0 : unmanaged
    {
        using var iteration = new ArchetypeIteration(this, in query);
        foreach (Archetype archetype in iteration.Archetypes)
        {
            if (archetype.Count > 0) EachRow<TBody, T0>(archetype, ref body);
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void EachRow<T0>(Archetype archetype, ForEach<T0> body)
        where T0 : unmanaged
    {
        nint count = archetype.Count;
        ref T0 c0 = ref archetype.ColumnBase<T0>();
        for (nint i = 0; i < count; i++) body(ref Unsafe.Add(ref c0, i));
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void EachRow<T0>(Archetype archetype, ForEachWithEntity<T0> body)
        where T0 : unmanaged
    {
        nint count = archetype.Count;
        ref Entity entities = ref MemoryMarshal.GetArrayDataReference(archetype.Entities);
        ref T0 c0 = ref archetype.ColumnBase<T0>();
        for (nint i = 0; i < count; i++) body(Unsafe.Add(ref entities, i), ref Unsafe.Add(ref c0, i));
    }

    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static void EachRow<TBody, T0>(Archetype archetype, ref TBody body)
        where TBody : struct, IForEach<T0>
        where T0 : unmanaged
    {
        nint count = archetype.Count;
        ref Entity entities = ref MemoryMarshal.GetArrayDataReference(archetype.Entities);
        ref T0 c0 = ref archetype.ColumnBase<T0>();
        for (nint quads = count / 4; quads > 0; quads--)
        {
            body.Update(entities, ref c0);
            body.Update(Unsafe.Add(ref entities, 1), ref Unsafe.Add(ref c0, 1));
            body.Update(Unsafe.Add(ref entities, 2), ref Unsafe.Add(ref c0, 2));
            body.Update(Unsafe.Add(ref entities, 3), ref Unsafe.Add(ref c0, 3));
            entities = ref Unsafe.Add(ref entities, 4);
            c0 = ref Unsafe.Add(ref c0, 4);
        }
        for (nint i = 0; i < count % 4; i++) body.Update(Unsafe.Add(ref entities, i), ref Unsafe.Add(ref c0, i));
    }

    /// <summary>Calls <paramref name="body"/> for every entity matching <paramref name="query"/>, with references to its T0, T1.</summary>
    /// <exception cref="InvalidOperationException">A matching archetype lacks one of the components (put them in <c>WithAll</c>).</exception>
    public void Query<T0, T1>(in QueryDescription query, ForEach<T0, T1> body)
        where T0 : unmanaged
        where T1 : unmanaged
    {
        ArgumentNullException.ThrowIfNull(body);
        using var iteration = new ArchetypeIteration(this, in query);
        foreach (Archetype archetype in iteration.Archetypes)
        {
            if (archetype.Count > 0) EachRow(archetype, body);
        }
    }

    /// <summary>Calls <paramref name="body"/> for every entity matching <paramref name="query"/>, with the entity and references to its T0, T1.</summary>
    /// <exception cref="InvalidOperationException">A matching archetype lacks one of the components (put them in <c>WithAll</c>).</exception>
    public void Query<T0, T1>(in QueryDescription query, ForEachWithEntity<T0, T1> body)
        where T0 : unmanaged
        where T1 : unmanaged
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
    public void InlineQuery<TBody, T0, T1>(in QueryDescription query, ref TBody body)
        where TBody : struct, IForEach<T0, T1>
        where T0 : unmanaged
        where T1 : unmanaged
    {
        using var iteration = new ArchetypeIteration(this, in query);
        foreach (Archetype archetype in iteration.Archetypes)
        {
            if (archetype.Count > 0) EachRow<TBody, T0, T1>(archetype, ref body);
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void EachRow<T0, T1>(Archetype archetype, ForEach<T0, T1> body)
        where T0 : unmanaged
        where T1 : unmanaged
    {
        nint count = archetype.Count;
        ref T0 c0 = ref archetype.ColumnBase<T0>();
        ref T1 c1 = ref archetype.ColumnBase<T1>();
        for (nint i = 0; i < count; i++) body(ref Unsafe.Add(ref c0, i), ref Unsafe.Add(ref c1, i));
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void EachRow<T0, T1>(Archetype archetype, ForEachWithEntity<T0, T1> body)
        where T0 : unmanaged
        where T1 : unmanaged
    {
        nint count = archetype.Count;
        ref Entity entities = ref MemoryMarshal.GetArrayDataReference(archetype.Entities);
        ref T0 c0 = ref archetype.ColumnBase<T0>();
        ref T1 c1 = ref archetype.ColumnBase<T1>();
        for (nint i = 0; i < count; i++) body(Unsafe.Add(ref entities, i), ref Unsafe.Add(ref c0, i), ref Unsafe.Add(ref c1, i));
    }

    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static void EachRow<TBody, T0, T1>(Archetype archetype, ref TBody body)
        where TBody : struct, IForEach<T0, T1>
        where T0 : unmanaged
        where T1 : unmanaged
    {
        nint count = archetype.Count;
        ref Entity entities = ref MemoryMarshal.GetArrayDataReference(archetype.Entities);
        ref T0 c0 = ref archetype.ColumnBase<T0>();
        ref T1 c1 = ref archetype.ColumnBase<T1>();
        for (nint quads = count / 4; quads > 0; quads--)
        {
            body.Update(entities, ref c0, ref c1);
            body.Update(Unsafe.Add(ref entities, 1), ref Unsafe.Add(ref c0, 1), ref Unsafe.Add(ref c1, 1));
            body.Update(Unsafe.Add(ref entities, 2), ref Unsafe.Add(ref c0, 2), ref Unsafe.Add(ref c1, 2));
            body.Update(Unsafe.Add(ref entities, 3), ref Unsafe.Add(ref c0, 3), ref Unsafe.Add(ref c1, 3));
            entities = ref Unsafe.Add(ref entities, 4);
            c0 = ref Unsafe.Add(ref c0, 4);
            c1 = ref Unsafe.Add(ref c1, 4);
        }
        for (nint i = 0; i < count % 4; i++) body.Update(Unsafe.Add(ref entities, i), ref Unsafe.Add(ref c0, i), ref Unsafe.Add(ref c1, i));
    }

    /// <summary>Calls <paramref name="body"/> for every entity matching <paramref name="query"/>, with references to its T0, T1, T2.</summary>
    /// <exception cref="InvalidOperationException">A matching archetype lacks one of the components (put them in <c>WithAll</c>).</exception>
    public void Query<T0, T1, T2>(in QueryDescription query, ForEach<T0, T1, T2> body)
        where T0 : unmanaged
        where T1 : unmanaged
        where T2 : unmanaged
    {
        ArgumentNullException.ThrowIfNull(body);
        using var iteration = new ArchetypeIteration(this, in query);
        foreach (Archetype archetype in iteration.Archetypes)
        {
            if (archetype.Count > 0) EachRow(archetype, body);
        }
    }

    /// <summary>Calls <paramref name="body"/> for every entity matching <paramref name="query"/>, with the entity and references to its T0, T1, T2.</summary>
    /// <exception cref="InvalidOperationException">A matching archetype lacks one of the components (put them in <c>WithAll</c>).</exception>
    public void Query<T0, T1, T2>(in QueryDescription query, ForEachWithEntity<T0, T1, T2> body)
        where T0 : unmanaged
        where T1 : unmanaged
        where T2 : unmanaged
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
    public void InlineQuery<TBody, T0, T1, T2>(in QueryDescription query, ref TBody body)
        where TBody : struct, IForEach<T0, T1, T2>
        where T0 : unmanaged
        where T1 : unmanaged
        where T2 : unmanaged
    {
        using var iteration = new ArchetypeIteration(this, in query);
        foreach (Archetype archetype in iteration.Archetypes)
        {
            if (archetype.Count > 0) EachRow<TBody, T0, T1, T2>(archetype, ref body);
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void EachRow<T0, T1, T2>(Archetype archetype, ForEach<T0, T1, T2> body)
        where T0 : unmanaged
        where T1 : unmanaged
        where T2 : unmanaged
    {
        nint count = archetype.Count;
        ref T0 c0 = ref archetype.ColumnBase<T0>();
        ref T1 c1 = ref archetype.ColumnBase<T1>();
        ref T2 c2 = ref archetype.ColumnBase<T2>();
        for (nint i = 0; i < count; i++) body(ref Unsafe.Add(ref c0, i), ref Unsafe.Add(ref c1, i), ref Unsafe.Add(ref c2, i));
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void EachRow<T0, T1, T2>(Archetype archetype, ForEachWithEntity<T0, T1, T2> body)
        where T0 : unmanaged
        where T1 : unmanaged
        where T2 : unmanaged
    {
        nint count = archetype.Count;
        ref Entity entities = ref MemoryMarshal.GetArrayDataReference(archetype.Entities);
        ref T0 c0 = ref archetype.ColumnBase<T0>();
        ref T1 c1 = ref archetype.ColumnBase<T1>();
        ref T2 c2 = ref archetype.ColumnBase<T2>();
        for (nint i = 0; i < count; i++) body(Unsafe.Add(ref entities, i), ref Unsafe.Add(ref c0, i), ref Unsafe.Add(ref c1, i), ref Unsafe.Add(ref c2, i));
    }

    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static void EachRow<TBody, T0, T1, T2>(Archetype archetype, ref TBody body)
        where TBody : struct, IForEach<T0, T1, T2>
        where T0 : unmanaged
        where T1 : unmanaged
        where T2 : unmanaged
    {
        nint count = archetype.Count;
        ref Entity entities = ref MemoryMarshal.GetArrayDataReference(archetype.Entities);
        ref T0 c0 = ref archetype.ColumnBase<T0>();
        ref T1 c1 = ref archetype.ColumnBase<T1>();
        ref T2 c2 = ref archetype.ColumnBase<T2>();
        for (nint quads = count / 4; quads > 0; quads--)
        {
            body.Update(entities, ref c0, ref c1, ref c2);
            body.Update(Unsafe.Add(ref entities, 1), ref Unsafe.Add(ref c0, 1), ref Unsafe.Add(ref c1, 1), ref Unsafe.Add(ref c2, 1));
            body.Update(Unsafe.Add(ref entities, 2), ref Unsafe.Add(ref c0, 2), ref Unsafe.Add(ref c1, 2), ref Unsafe.Add(ref c2, 2));
            body.Update(Unsafe.Add(ref entities, 3), ref Unsafe.Add(ref c0, 3), ref Unsafe.Add(ref c1, 3), ref Unsafe.Add(ref c2, 3));
            entities = ref Unsafe.Add(ref entities, 4);
            c0 = ref Unsafe.Add(ref c0, 4);
            c1 = ref Unsafe.Add(ref c1, 4);
            c2 = ref Unsafe.Add(ref c2, 4);
        }
        for (nint i = 0; i < count % 4; i++) body.Update(Unsafe.Add(ref entities, i), ref Unsafe.Add(ref c0, i), ref Unsafe.Add(ref c1, i), ref Unsafe.Add(ref c2, i));
    }

    /// <summary>Calls <paramref name="body"/> for every entity matching <paramref name="query"/>, with references to its T0, T1, T2, T3.</summary>
    /// <exception cref="InvalidOperationException">A matching archetype lacks one of the components (put them in <c>WithAll</c>).</exception>
    public void Query<T0, T1, T2, T3>(in QueryDescription query, ForEach<T0, T1, T2, T3> body)
        where T0 : unmanaged
        where T1 : unmanaged
        where T2 : unmanaged
        where T3 : unmanaged
    {
        ArgumentNullException.ThrowIfNull(body);
        using var iteration = new ArchetypeIteration(this, in query);
        foreach (Archetype archetype in iteration.Archetypes)
        {
            if (archetype.Count > 0) EachRow(archetype, body);
        }
    }

    /// <summary>Calls <paramref name="body"/> for every entity matching <paramref name="query"/>, with the entity and references to its T0, T1, T2, T3.</summary>
    /// <exception cref="InvalidOperationException">A matching archetype lacks one of the components (put them in <c>WithAll</c>).</exception>
    public void Query<T0, T1, T2, T3>(in QueryDescription query, ForEachWithEntity<T0, T1, T2, T3> body)
        where T0 : unmanaged
        where T1 : unmanaged
        where T2 : unmanaged
        where T3 : unmanaged
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
    public void InlineQuery<TBody, T0, T1, T2, T3>(in QueryDescription query, ref TBody body)
        where TBody : struct, IForEach<T0, T1, T2, T3>
        where T0 : unmanaged
        where T1 : unmanaged
        where T2 : unmanaged
        where T3 : unmanaged
    {
        using var iteration = new ArchetypeIteration(this, in query);
        foreach (Archetype archetype in iteration.Archetypes)
        {
            if (archetype.Count > 0) EachRow<TBody, T0, T1, T2, T3>(archetype, ref body);
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void EachRow<T0, T1, T2, T3>(Archetype archetype, ForEach<T0, T1, T2, T3> body)
        where T0 : unmanaged
        where T1 : unmanaged
        where T2 : unmanaged
        where T3 : unmanaged
    {
        nint count = archetype.Count;
        ref T0 c0 = ref archetype.ColumnBase<T0>();
        ref T1 c1 = ref archetype.ColumnBase<T1>();
        ref T2 c2 = ref archetype.ColumnBase<T2>();
        ref T3 c3 = ref archetype.ColumnBase<T3>();
        for (nint i = 0; i < count; i++) body(ref Unsafe.Add(ref c0, i), ref Unsafe.Add(ref c1, i), ref Unsafe.Add(ref c2, i), ref Unsafe.Add(ref c3, i));
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void EachRow<T0, T1, T2, T3>(Archetype archetype, ForEachWithEntity<T0, T1, T2, T3> body)
        where T0 : unmanaged
        where T1 : unmanaged
        where T2 : unmanaged
        where T3 : unmanaged
    {
        nint count = archetype.Count;
        ref Entity entities = ref MemoryMarshal.GetArrayDataReference(archetype.Entities);
        ref T0 c0 = ref archetype.ColumnBase<T0>();
        ref T1 c1 = ref archetype.ColumnBase<T1>();
        ref T2 c2 = ref archetype.ColumnBase<T2>();
        ref T3 c3 = ref archetype.ColumnBase<T3>();
        for (nint i = 0; i < count; i++) body(Unsafe.Add(ref entities, i), ref Unsafe.Add(ref c0, i), ref Unsafe.Add(ref c1, i), ref Unsafe.Add(ref c2, i), ref Unsafe.Add(ref c3, i));
    }

    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static void EachRow<TBody, T0, T1, T2, T3>(Archetype archetype, ref TBody body)
        where TBody : struct, IForEach<T0, T1, T2, T3>
        where T0 : unmanaged
        where T1 : unmanaged
        where T2 : unmanaged
        where T3 : unmanaged
    {
        nint count = archetype.Count;
        ref Entity entities = ref MemoryMarshal.GetArrayDataReference(archetype.Entities);
        ref T0 c0 = ref archetype.ColumnBase<T0>();
        ref T1 c1 = ref archetype.ColumnBase<T1>();
        ref T2 c2 = ref archetype.ColumnBase<T2>();
        ref T3 c3 = ref archetype.ColumnBase<T3>();
        for (nint quads = count / 4; quads > 0; quads--)
        {
            body.Update(entities, ref c0, ref c1, ref c2, ref c3);
            body.Update(Unsafe.Add(ref entities, 1), ref Unsafe.Add(ref c0, 1), ref Unsafe.Add(ref c1, 1), ref Unsafe.Add(ref c2, 1), ref Unsafe.Add(ref c3, 1));
            body.Update(Unsafe.Add(ref entities, 2), ref Unsafe.Add(ref c0, 2), ref Unsafe.Add(ref c1, 2), ref Unsafe.Add(ref c2, 2), ref Unsafe.Add(ref c3, 2));
            body.Update(Unsafe.Add(ref entities, 3), ref Unsafe.Add(ref c0, 3), ref Unsafe.Add(ref c1, 3), ref Unsafe.Add(ref c2, 3), ref Unsafe.Add(ref c3, 3));
            entities = ref Unsafe.Add(ref entities, 4);
            c0 = ref Unsafe.Add(ref c0, 4);
            c1 = ref Unsafe.Add(ref c1, 4);
            c2 = ref Unsafe.Add(ref c2, 4);
            c3 = ref Unsafe.Add(ref c3, 4);
        }
        for (nint i = 0; i < count % 4; i++) body.Update(Unsafe.Add(ref entities, i), ref Unsafe.Add(ref c0, i), ref Unsafe.Add(ref c1, i), ref Unsafe.Add(ref c2, i), ref Unsafe.Add(ref c3, i));
    }
}
