using System.Diagnostics;

namespace EcsNeural.Ecs;

/// <summary>
/// An ordered set of systems that is itself a system, so groups nest. The order comes from the
/// members' <see cref="UpdateBeforeAttribute"/> / <see cref="UpdateAfterAttribute"/> declarations,
/// ties keeping insertion order; it is re-resolved after every <see cref="Add"/>. Each phase runs
/// that phase of every member in order and records its time (see <see cref="Timings"/>).
/// </summary>
/// <typeparam name="T">Per-frame state passed to every phase.</typeparam>
public sealed class SystemGroup<T> : ISystem<T>, ISystemGroup
{
    private readonly List<ISystem<T>> _added = [];
    private readonly List<ISystem<T>> _ordered = [];
    private SystemTiming[] _timings = [];
    private bool _orderIsCurrent = true;

    /// <summary>Creates an empty group.</summary>
    /// <param name="name">Shown in timings and error messages.</param>
    public SystemGroup(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        Name = name;
    }

    /// <summary>The group's name.</summary>
    public string Name { get; }

    /// <summary>The members in resolved update order.</summary>
    /// <exception cref="InvalidOperationException">The ordering constraints form a cycle.</exception>
    public IReadOnlyList<ISystem<T>> Systems
    {
        get
        {
            EnsureOrdered();
            return _ordered;
        }
    }

    IReadOnlyList<object> ISystemGroup.Systems => Systems;

    /// <summary>Per-member timings of the most recent frame, in update order (updated in place, no allocation).</summary>
    public IReadOnlyList<SystemTiming> Timings
    {
        get
        {
            EnsureOrdered();
            return _timings;
        }
    }

    /// <summary>Adds a member; returns this group for chaining.</summary>
    public SystemGroup<T> Add(ISystem<T> system)
    {
        ArgumentNullException.ThrowIfNull(system);
        if (_added.Contains(system)) throw new ArgumentException($"{NameOf(system)} is already in group '{Name}'.", nameof(system));
        _added.Add(system);
        _orderIsCurrent = false;
        return this;
    }

    /// <summary>Removes a member (without disposing it); returns false when it is not in this group.</summary>
    public bool Remove(ISystem<T> system)
    {
        if (!_added.Remove(system)) return false;
        _orderIsCurrent = false;
        return true;
    }

    /// <summary>Initializes every member in update order.</summary>
    public void Initialize()
    {
        EnsureOrdered();
        foreach (ISystem<T> system in _ordered) system.Initialize();
    }

    /// <summary>Runs every member's <see cref="ISystem{T}.BeforeUpdate"/> in order, timing each.</summary>
    public void BeforeUpdate(in T state)
    {
        EnsureOrdered();
        for (int i = 0; i < _ordered.Count; i++)
        {
            long start = Stopwatch.GetTimestamp();
            _ordered[i].BeforeUpdate(in state);
            SystemTiming t = _timings[i];
            _timings[i] = new SystemTiming(t.Name, Milliseconds(start), t.UpdateMilliseconds, t.AfterUpdateMilliseconds);
        }
    }

    /// <summary>Runs every member's <see cref="ISystem{T}.Update"/> in order, timing each.</summary>
    public void Update(in T state)
    {
        EnsureOrdered();
        for (int i = 0; i < _ordered.Count; i++)
        {
            long start = Stopwatch.GetTimestamp();
            _ordered[i].Update(in state);
            SystemTiming t = _timings[i];
            _timings[i] = new SystemTiming(t.Name, t.BeforeUpdateMilliseconds, Milliseconds(start), t.AfterUpdateMilliseconds);
        }
    }

    /// <summary>Runs every member's <see cref="ISystem{T}.AfterUpdate"/> in order, timing each.</summary>
    public void AfterUpdate(in T state)
    {
        EnsureOrdered();
        for (int i = 0; i < _ordered.Count; i++)
        {
            long start = Stopwatch.GetTimestamp();
            _ordered[i].AfterUpdate(in state);
            SystemTiming t = _timings[i];
            _timings[i] = new SystemTiming(t.Name, t.BeforeUpdateMilliseconds, t.UpdateMilliseconds, Milliseconds(start));
        }
    }

    /// <summary>Disposes every member in reverse update order (reverse insertion order if never resolved since the last Add).</summary>
    public void Dispose()
    {
        List<ISystem<T>> members = _orderIsCurrent ? _ordered : _added;
        for (int i = members.Count - 1; i >= 0; i--) members[i].Dispose();
    }

    private void EnsureOrdered()
    {
        if (!_orderIsCurrent) ResolveOrder();
    }

    // Kept apart from EnsureOrdered: its lambda's closure would otherwise be allocated on every call.
    private void ResolveOrder()
    {
        string[] names = _added.Select(NameOf).ToArray();
        int[] order = SystemOrder.Resolve(_added, names, Name);
        _ordered.Clear();
        foreach (int index in order) _ordered.Add(_added[index]);
        _timings = order.Select(index => new SystemTiming(names[index], 0, 0, 0)).ToArray();
        _orderIsCurrent = true;
    }

    private static double Milliseconds(long startTimestamp) =>
        (Stopwatch.GetTimestamp() - startTimestamp) * 1000.0 / Stopwatch.Frequency;

    private static string NameOf(ISystem<T> system) => system is SystemGroup<T> group ? group.Name : TypeName(system.GetType());

    // A generic system is shown without its arity suffix: "ForwardSystem", not "ForwardSystem`1".
    private static string TypeName(Type type) => type.IsGenericType ? type.Name[..type.Name.IndexOf('`')] : type.Name;
}
