using System.Numerics;
using EcsNeural.Components;
using EcsNeural.Ecs;
using EcsNeural.Systems.Ops;
using EcsNeural.Systems.Optimizers;

namespace EcsNeural.Systems.Graph;

/// <summary>
/// A <see cref="ComputeGraph"/> over element type <typeparamref name="T"/> (<c>float</c> for speed, <c>double</c> for
/// gradient checks; the same operations run for both): the typed views of its <see cref="TensorArena{T}"/> a host reads
/// and writes. Nothing is allocated per step. Each accessor hands out instances contiguously: on a graph whose compiled layout
/// is <see cref="InstanceLayout.Interleaved"/>, the first accessor after a tick puts the arena back in instance order (one
/// pass over it), and spans taken before a tick are not valid after it.
/// </summary>
public sealed class ComputeGraph<T> : ComputeGraph where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly TensorArena<T> _arena;

    internal ComputeGraph(NeuralRuntime runtime, int id, int instances, ulong seed) : base(runtime, id, instances, seed)
    {
        _arena = new TensorArena<T>(this);
        Arena = _arena;
        Executor = new BlockExecutor<T>(this, _arena);
        Schedule = new GraphSchedule(this, Executor);
    }

    /// <inheritdoc/>
    public override Type ElementType => typeof(T);

    /// <summary>One instance of a node's value (compiles first if needed). Write inputs and targets here; read outputs.</summary>
    public Span<T> Values(Entity node, int instance)
    {
        ArrangeInstanceMajor();
        ValueSlot slot = World.Get<ValueSlot>(node);
        return _arena.Data.AsSpan(slot.Offset + CheckInstance(instance) * slot.Length, slot.Length);
    }

    /// <summary>
    /// Where instance 0 of a node's value starts (compiles first if needed), for jobs that fill it off the calling thread,
    /// where <see cref="Values"/> may not run (it can wait for the graph). Valid until the graph next compiles.
    /// </summary>
    internal TensorAddress<T> ValueAddress(Entity node)
    {
        ArrangeInstanceMajor();
        return new(_arena.Data, World.Get<ValueSlot>(node).Offset);
    }

    /// <summary>All instances of a node's value, back to back (<see cref="ComputeGraph.InstanceCount"/> × shape length).</summary>
    public Span<T> AllValues(Entity node)
    {
        ArrangeInstanceMajor();
        ValueSlot slot = World.Get<ValueSlot>(node);
        return _arena.Data.AsSpan(slot.Offset, InstanceCount * slot.Length);
    }

    /// <summary>
    /// One instance of a node's gradient ∂loss/∂value, valid after a backward pass. Only nodes of G′ (on a path from a
    /// requested variable to the loss) and the requested variables have one; for any other node this throws, as it does
    /// when the graph keeps no gradients (<see cref="ComputeGraph.InferenceOnly"/>, <see cref="GradientMode.BlockLocal"/>).
    /// </summary>
    public Span<T> Gradients(Entity node, int instance)
    {
        GradientSlot slot = GradientSlotOf(node);
        return _arena.Data.AsSpan(slot.Offset + CheckInstance(instance) * slot.Length, slot.Length);
    }

    /// <summary>All instances of a node's gradient, back to back.</summary>
    public Span<T> AllGradients(Entity node)
    {
        GradientSlot slot = GradientSlotOf(node);
        return _arena.Data.AsSpan(slot.Offset, InstanceCount * slot.Length);
    }

    /// <summary>
    /// One instance of a trainable node's optimizer state: <paramref name="moment"/> 0 is the velocity (momentum) or
    /// first moment (Adam), 1 is Adam's second moment. Throws when the optimizer keeps no such state.
    /// </summary>
    public Span<T> OptimizerState(Entity node, int instance, int moment)
    {
        ArrangeInstanceMajor();
        OptimizerStateSlot slot = World.TryGet(node, out OptimizerStateSlot found) ? found : new OptimizerStateSlot(-1, -1, 0);
        int offset = moment switch
        {
            0 => slot.FirstOffset,
            1 => slot.SecondOffset,
            _ => throw new ArgumentOutOfRangeException(nameof(moment), moment, "The moment is 0 (velocity / first moment) or 1 (second moment)."),
        };
        if (offset < 0)
            throw new InvalidOperationException($"Node {node} keeps no optimizer state {moment} ({Optimizer.Kind} optimizer{(InferenceOnly ? ", inference-only graph" : "")}).");
        return _arena.Data.AsSpan(offset + CheckInstance(instance) * slot.Length, slot.Length);
    }

    /// <summary>
    /// A node's rows as the population systems read and write them, in whatever order the compiled program keeps instances
    /// (the arena is arranged for the passes first). Valid until the graph next compiles or an accessor reorders it.
    /// </summary>
    internal InstanceRows<T> Rows(Entity node)
    {
        Compile();
        LaneLayout lanes = ArrangeForPasses();
        ValueSlot slot = World.Get<ValueSlot>(node);
        return new InstanceRows<T>(_arena.Data, slot.Offset, slot.Length, lanes);
    }

    /// <summary>Copies <paramref name="values"/> into one instance of a node, checking the length.</summary>
    public void SetValues(Entity node, int instance, ReadOnlySpan<T> values)
    {
        Span<T> destination = Values(node, instance);
        if (values.Length != destination.Length)
            throw new ArgumentException($"Node {node} holds {destination.Length} elements per instance ({World.Get<NodeShape>(node)}), got {values.Length}.", nameof(values));
        values.CopyTo(destination);
    }

    private GradientSlot GradientSlotOf(Entity node)
    {
        ArrangeInstanceMajor();
        GradientSlot slot = World.Get<GradientSlot>(node);
        if (slot.Offset >= 0)
            return slot;
        if (!InferenceOnly && GradientMode == GradientMode.BlockLocal)
            throw new InvalidOperationException($"Graph {Id} keeps gradients block-local (GradientMode.BlockLocal): node {node}'s gradient "
                + "exists only inside each instance block's job, where the optimizer consumes it; set GradientMode.ZeroEachStep to read gradients.");
        if (InferenceOnly)
            throw new InvalidOperationException($"Graph {Id} is inference-only: node {node} keeps no gradient.");
        throw new InvalidOperationException($"Node {node} ({World.Get<Node>(node).Op}) of graph {Id} has no gradient slot: the backward pass "
            + $"computes gradients only for G′, the nodes on a path from a requested variable to the loss ({(Loss == Entity.Null ? "none set" : Loss)}), "
            + "and for the requested variables. To read this node's gradient, request it with graph.RequestGradients([..., node]) "
            + "(the default request is every trainable node).");
    }
}
