using System.Numerics;
using EcsNeural.Components;
using EcsNeural.Ecs;
using EcsNeural.Systems.Init;

namespace EcsNeural.Systems.Graph;

/// <summary>
/// What a <see cref="ComputeGraph"/> asks of its tensor storage without knowing the element type: relayout after a
/// compile, and the per-instance moves, resets and clears of instance add/remove and optimizer changes.
/// </summary>
internal interface ITensorArena
{
    int ElementBytes { get; }

    /// <summary>Elements in the arena.</summary>
    int Length { get; }

    /// <summary>How the arena's regions order their instances now (<see cref="Arrange"/> changes it).</summary>
    LaneLayout Arranged { get; }

    void Relayout(NodeLayout[] layout, int arenaLength);
    void Arrange(LaneLayout layout);
    void MoveInstance(int from, int to);
    void ResetInstance(int instance);
    void ClearInstance(int instance);
    void ClearOptimizerState();
    void ZeroGradients();
}

/// <summary>
/// The pooled tensor arena of a <see cref="ComputeGraph{T}"/>: one array holding every node's value, gradient slot and
/// optimizer state for every instance (a node's instances back to back, at the offsets of its <see cref="NodeLayout"/>,
/// published on the node as <see cref="ValueSlot"/>, <see cref="GradientSlot"/>, <see cref="OptimizerStateSlot"/>).
/// Relayouts keep the data of nodes that keep their size; new parameters are initialised, keyed by
/// (seed, instance key, node index). The regions' instances are instance-major or interleaved (<see cref="Arranged"/>);
/// a relayout works on instance-major regions, the per-instance moves and resets on either. Nothing here is allocated per step.
/// </summary>
internal sealed class TensorArena<T>(ComputeGraph graph) : ITensorArena where T : unmanaged, IFloatingPointIeee754<T>
{
    private NodeLayout[] _layout = [];
    private T[] _group = [];   // one group of one region while it is reordered

    public LaneLayout Arranged { get; private set; } = LaneLayout.InstanceMajor;

    /// <summary>The arena's elements.</summary>
    public T[] Data { get; private set; } = [];

    public int Length => Data.Length;

    public int ElementBytes => System.Runtime.CompilerServices.Unsafe.SizeOf<T>();

    private World World => graph.World;

    /// <summary>Instances [start, end) of the region at <paramref name="offset"/> whose instances hold <paramref name="length"/> elements.</summary>
    public Span<T> Range(int offset, int length, int start, int end)
        => Data.AsSpan(offset + start * length, (end - start) * length);

    /// <summary>Moves every node into a new arena of <paramref name="arenaLength"/> elements laid out as <paramref name="layout"/>.</summary>
    /// <exception cref="InsufficientMemoryException">The process cannot allocate the arena; the graph keeps its old one.</exception>
    public void Relayout(NodeLayout[] layout, int arenaLength)
    {
        if (Arranged.IsInterleaved)
            throw new InvalidOperationException("A relayout copies instance-major regions; arrange the arena instance-major first.");
        T[] data;
        try
        {
            data = new T[arenaLength];
        }
        catch (OutOfMemoryException ex)
        {
            throw new InsufficientMemoryException($"Graph {graph.Id}'s tensor arena needs {(long)arenaLength * ElementBytes:N0} bytes "
                + $"({arenaLength:N0} {typeof(T).Name} elements for {graph.InstanceCapacity:N0} instances), more than the process could allocate; "
                + "use fewer instances or smaller layers.", ex);
        }
        T[] old = Data;
        int instances = graph.InstanceCount;
        foreach (NodeLayout l in layout)
        {
            int count = instances * l.Length;
            bool hasOld = World.TryGet(l.Entity, out ValueSlot oldValue) && oldValue.Length == l.Length;
            if (hasOld)
            {
                old.AsSpan(oldValue.Offset, count).CopyTo(data.AsSpan(l.Value, count));
                GradientSlot oldGradient = World.Get<GradientSlot>(l.Entity);
                if (oldGradient.Offset >= 0 && l.Gradient >= 0)
                    old.AsSpan(oldGradient.Offset, count).CopyTo(data.AsSpan(l.Gradient, count));
            }
            else if (l.Op == OpCode.Parameter)
            {
                for (int i = 0; i < instances; i++)
                    Initialize(l, data.AsSpan(l.Value + i * l.Length, l.Length), i);
            }
            if (hasOld && World.TryGet(l.Entity, out OptimizerStateSlot oldState) && oldState.Length == l.Length)
            {
                if (l.FirstState >= 0 && oldState.FirstOffset >= 0)
                    old.AsSpan(oldState.FirstOffset, count).CopyTo(data.AsSpan(l.FirstState, count));
                if (l.SecondState >= 0 && oldState.SecondOffset >= 0)
                    old.AsSpan(oldState.SecondOffset, count).CopyTo(data.AsSpan(l.SecondState, count));
            }
        }
        foreach (NodeLayout l in layout)
        {
            SetComponent(l.Entity, new ValueSlot(l.Value, l.Length));
            SetComponent(l.Entity, new GradientSlot(l.Gradient, l.Length));
            if (World.Has<Trainable>(l.Entity))
                SetComponent(l.Entity, new OptimizerStateSlot(l.FirstState, l.SecondState, l.Length));
        }
        Data = data;
        _layout = layout;
    }

    /// <summary>
    /// Reorders every region's instances to <paramref name="layout"/> (instance-major ↔ interleaved), one group at a time;
    /// nothing when they are in it already. Contribution regions hold nothing between passes and are left as they are.
    /// </summary>
    public void Arrange(LaneLayout layout)
    {
        if (layout == Arranged)
            return;
        bool toInterleaved = layout.IsInterleaved;
        LaneLayout lanes = toInterleaved ? layout : Arranged;
        if (toInterleaved && Arranged.IsInterleaved)
            Arrange(LaneLayout.InstanceMajor);
        int instances = graph.InstanceCount;
        foreach (NodeLayout l in _layout)
        {
            int group = lanes.Lanes * l.Length;
            if (_group.Length < group)
                _group = new T[group];   // grown, never shrunk
            foreach (int region in (ReadOnlySpan<int>)[l.Value, l.Gradient, l.FirstState, l.SecondState])
                if (region >= 0)
                    lanes.Reorder<T>(Data.AsSpan(region, lanes.Groups(instances) * l.Length), l.Length, instances, toInterleaved, _group);
        }
        Arranged = layout;
    }

    /// <summary>Copies instance <paramref name="from"/>'s slices of every region over instance <paramref name="to"/>'s.</summary>
    public void MoveInstance(int from, int to)
    {
        foreach (NodeLayout l in _layout)
            foreach (int region in (ReadOnlySpan<int>)[l.Value, l.Gradient, l.FirstState, l.SecondState])
                if (region >= 0)
                    Arranged.Copy(Data, region, l.Length, from, to);
    }

    /// <summary>Zeroes an instance's values, gradients and optimizer state (a removed instance's lanes, so a partial group computes on zeros).</summary>
    public void ClearInstance(int instance)
    {
        foreach (NodeLayout l in _layout)
            foreach (int region in (ReadOnlySpan<int>)[l.Value, l.Gradient, l.FirstState, l.SecondState])
                if (region >= 0)
                    Arranged.Clear(Data, region, l.Length, instance);
    }

    /// <summary>Zeroes an instance's values, gradients and optimizer state, then initialises its parameters afresh.</summary>
    public void ResetInstance(int instance)
    {
        ClearInstance(instance);
        foreach (NodeLayout l in _layout)
        {
            if (l.Op != OpCode.Parameter)
                continue;
            if (!Arranged.IsInterleaved)
            {
                Initialize(l, Data.AsSpan(l.Value + instance * l.Length, l.Length), instance);
                continue;
            }
            if (_group.Length < l.Length)
                _group = new T[Math.Max(l.Length, 2 * _group.Length)];
            Span<T> fresh = _group.AsSpan(0, l.Length);
            Initialize(l, fresh, instance);
            Arranged.Write<T>(Data, l.Value, l.Length, instance, fresh);
        }
    }

    public void ClearOptimizerState()
    {
        foreach (NodeLayout l in _layout)
        {
            if (l.FirstState >= 0)
                Range(l.FirstState, l.Length, 0, Arranged.Groups(graph.InstanceCount)).Clear();
            if (l.SecondState >= 0)
                Range(l.SecondState, l.Length, 0, Arranged.Groups(graph.InstanceCount)).Clear();
        }
    }

    public void ZeroGradients()
    {
        foreach (NodeLayout l in _layout)
        {
            if (l.Gradient >= 0)
                Range(l.Gradient, l.Length, 0, Arranged.Groups(graph.InstanceCount)).Clear();
        }
    }

    private void Initialize(NodeLayout l, Span<T> destination, int instance)
    {
        ParameterInit init = World.TryGet(l.Entity, out ParameterInit found) ? found : ParameterInit.Zeros;
        Initializers.Fill(destination, init, l.Shape, graph.Seed, graph.InstanceKey(instance), (ulong)World.Get<GraphMember>(l.Entity).Index);
    }

    private void SetComponent<TComponent>(Entity e, in TComponent value) where TComponent : unmanaged
    {
        if (World.Has<TComponent>(e))
            World.Set(e, value);
        else
            World.Add(e, value);
    }
}
