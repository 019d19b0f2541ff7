namespace EcsNeural.Ecs;

/// <summary>Body of <see cref="World.Query{T0}(in QueryDescription, ForEachWithEntity{T0})"/>: like <see cref="ForEach{T0}"/>, also given the entity.</summary>
public delegate void ForEachWithEntity<T0>(Entity entity, ref T0 c0);

/// <summary>Body of <see cref="World.Query{T0, T1}(in QueryDescription, ForEachWithEntity{T0, T1})"/>: like <see cref="ForEach{T0, T1}"/>, also given the entity.</summary>
public delegate void ForEachWithEntity<T0, T1>(Entity entity, ref T0 c0, ref T1 c1);

/// <summary>Body of <see cref="World.Query{T0, T1, T2}(in QueryDescription, ForEachWithEntity{T0, T1, T2})"/>: like <see cref="ForEach{T0, T1, T2}"/>, also given the entity.</summary>
public delegate void ForEachWithEntity<T0, T1, T2>(Entity entity, ref T0 c0, ref T1 c1, ref T2 c2);

/// <summary>Body of <see cref="World.Query{T0, T1, T2, T3}(in QueryDescription, ForEachWithEntity{T0, T1, T2, T3})"/>: like <see cref="ForEach{T0, T1, T2, T3}"/>, also given the entity.</summary>
public delegate void ForEachWithEntity<T0, T1, T2, T3>(Entity entity, ref T0 c0, ref T1 c1, ref T2 c2, ref T3 c3);
