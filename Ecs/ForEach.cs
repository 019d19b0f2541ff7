namespace EcsNeural.Ecs;

/// <summary>Body of <see cref="World.Query{T0}(in QueryDescription, ForEach{T0})"/>: called once per matching entity with references into its component columns.</summary>
public delegate void ForEach<T0>(ref T0 c0);

/// <summary>Body of <see cref="World.Query{T0, T1}(in QueryDescription, ForEach{T0, T1})"/>: called once per matching entity with references into its component columns.</summary>
public delegate void ForEach<T0, T1>(ref T0 c0, ref T1 c1);

/// <summary>Body of <see cref="World.Query{T0, T1, T2}(in QueryDescription, ForEach{T0, T1, T2})"/>: called once per matching entity with references into its component columns.</summary>
public delegate void ForEach<T0, T1, T2>(ref T0 c0, ref T1 c1, ref T2 c2);

/// <summary>Body of <see cref="World.Query{T0, T1, T2, T3}(in QueryDescription, ForEach{T0, T1, T2, T3})"/>: called once per matching entity with references into its component columns.</summary>
public delegate void ForEach<T0, T1, T2, T3>(ref T0 c0, ref T1 c1, ref T2 c2, ref T3 c3);
