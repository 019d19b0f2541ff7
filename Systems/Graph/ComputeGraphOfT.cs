using System.Numerics;
using System.Numerics.Tensors;
using EcsNeural.Components;
using EcsNeural.Ecs;
using EcsNeural.Systems.Init;
using EcsNeural.Systems.Ops;
using EcsNeural.Systems.Optimizers;

namespace EcsNeural.Systems.Graph;

/// <summary>
/// A <see cref="ComputeGraph"/> over element type <typeparamref name="T"/> (<c>float</c> for speed, <c>double</c> for
/// gradient checks; the same operations run for both). Holds the pooled tensor arena: nothing is allocated per step.
/// </summary>
public sealed class ComputeGraph<T> : ComputeGraph where T : unmanaged, IFloatingPointIeee754<T>
{
    private T[] _data = [];

    internal ComputeGraph(NeuralRuntime runtime, int id, int instances, ulong seed) : base(runtime, id, instances, seed) { }

    /// <inheritdoc/>
    public override Type ElementType => typeof(T);

    private protected override int ElementBytes => System.Runtime.CompilerServices.Unsafe.SizeOf<T>();

    /// <summary>One instance of a node's value (compiles first if needed). Write inputs and targets here; read outputs.</summary>
    public Span<T> Values(Entity node, int instance)
    {
        Compile();
        ValueSlot slot = World.Get<ValueSlot>(node);
        return _data.AsSpan(slot.Offset + CheckInstance(instance) * slot.Length, slot.Length);
    }

    /// <summary>All instances of a node's value, back to back (<see cref="ComputeGraph.InstanceCount"/> × shape length).</summary>
    public Span<T> AllValues(Entity node)
    {
        Compile();
        ValueSlot slot = World.Get<ValueSlot>(node);
        return _data.AsSpan(slot.Offset, InstanceCount * slot.Length);
    }

    /// <summary>
    /// One instance of a node's gradient ∂loss/∂value, valid after a backward pass. Only nodes of G′ (on a path from a
    /// requested variable to the loss) and the requested variables have one; for any other node this throws, as it does
    /// when the graph keeps no gradients (<see cref="ComputeGraph.InferenceOnly"/>, <see cref="GradientMode.BlockLocal"/>).
    /// </summary>
    public Span<T> Gradients(Entity node, int instance)
    {
        GradientSlot slot = GradientSlotOf(node);
        return _data.AsSpan(slot.Offset + CheckInstance(instance) * slot.Length, slot.Length);
    }

    /// <summary>All instances of a node's gradient, back to back.</summary>
    public Span<T> AllGradients(Entity node)
    {
        GradientSlot slot = GradientSlotOf(node);
        return _data.AsSpan(slot.Offset, InstanceCount * slot.Length);
    }

    /// <summary>
    /// One instance of a trainable node's optimizer state: <paramref name="moment"/> 0 is the velocity (momentum) or
    /// first moment (Adam), 1 is Adam's second moment. Throws when the optimizer keeps no such state.
    /// </summary>
    public Span<T> OptimizerState(Entity node, int instance, int moment)
    {
        Compile();
        OptimizerStateSlot slot = World.TryGet(node, out OptimizerStateSlot found) ? found : new OptimizerStateSlot(-1, -1, 0);
        int offset = moment switch
        {
            0 => slot.FirstOffset,
            1 => slot.SecondOffset,
            _ => throw new ArgumentOutOfRangeException(nameof(moment), moment, "The moment is 0 (velocity / first moment) or 1 (second moment)."),
        };
        if (offset < 0)
            throw new InvalidOperationException($"Node {node} keeps no optimizer state {moment} ({Optimizer.Kind} optimizer{(InferenceOnly ? ", inference-only graph" : "")}).");
        return _data.AsSpan(offset + CheckInstance(instance) * slot.Length, slot.Length);
    }

    /// <summary>Copies <paramref name="values"/> into one instance of a node, checking the length.</summary>
    public void SetValues(Entity node, int instance, ReadOnlySpan<T> values)
    {
        Span<T> destination = Values(node, instance);
        if (values.Length != destination.Length)
            throw new ArgumentException($"Node {node} holds {destination.Length} elements per instance ({World.Get<NodeShape>(node)}), got {values.Length}.", nameof(values));
        values.CopyTo(destination);
    }

    /// <inheritdoc/>
    /// <remarks>With <see cref="GradientMode.BlockLocal"/> there is no kept gradient to clear.</remarks>
    public override void ZeroGradients()
    {
        Compile();
        foreach (NodeLayout l in Layout)
        {
            if (l.Gradient >= 0)
                _data.AsSpan(l.Gradient, InstanceCount * l.Length).Clear();
        }
    }

    private GradientSlot GradientSlotOf(Entity node)
    {
        Compile();
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

    private protected override void RunPasses(int start, int end, GraphPhases phases)
    {
        int scratchLength = Program!.BlockGradientLength;
        // Gradients in the arena, or a forward pass alone (which touches none): no scratch.
        if (scratchLength == 0 || (phases & (GraphPhases.Backward | GraphPhases.Update)) == 0)
        {
            RunPasses(start, end, phases, new Storage(_data, 0));
            return;
        }
        T[] scratch = BlockGradientScratch<T>.Rent(scratchLength);
        try
        {
            RunPasses(start, end, phases, new Storage(scratch, start));   // instance `start` is the scratch's instance 0
        }
        finally
        {
            BlockGradientScratch<T>.Return();
        }
    }

    private void RunPasses(int start, int end, GraphPhases phases, Storage gradients)
    {
        if ((phases & GraphPhases.Forward) != 0)
            Forward(start, end, gradients);
        if ((phases & GraphPhases.Backward) != 0)
            Backward(start, end, gradients);
        if ((phases & GraphPhases.Update) != 0)
            Update(start, end, CountOptimizerStep(start, end), gradients);
    }

    private void Forward(int start, int end, Storage gradients)
    {
        CompiledProgram program = Program!;
        if (CheckFinite)
        {
            foreach (int t in program.Leaves)
                RequireFinite(program.Nodes[t], new Storage(_data, 0), program.Nodes[t].Output.Value, start, end, inGradient: false);
        }
        foreach (int t in program.ForwardSteps)
        {
            ref readonly CompiledNode node = ref program.Nodes[t];
            Operations.Forward(new OpContext<T>(_data, gradients.Data, in node, start, end, gradients.Origin, RowScheduler), node.Op);
            if (CheckFinite)
                RequireFinite(node, new Storage(_data, 0), node.Output.Value, start, end, inGradient: false);
        }
    }

    private void Backward(int start, int end, Storage gradients)
    {
        CompiledProgram program = Program!;
        if (program.Loss < 0)
            return;
        foreach (int t in program.ClearedGradients)
            gradients.Range(program.Nodes[t].Output.Gradient, program.Nodes[t].Output.Length, start, end).Clear();
        ref readonly CompiledNode loss = ref program.Nodes[program.Loss];
        if (!loss.Output.NeedsGradient)
            return;   // no requested variable reaches the loss
        gradients.Range(loss.Output.Gradient, 1, start, end).Fill(T.One);   // ∂loss/∂loss = 1
        foreach (int t in program.BackwardSteps)
        {
            ref readonly CompiledNode node = ref program.Nodes[t];
            if (CheckFinite)   // complete: all consumers ran
                RequireFinite(node, gradients, node.Output.Gradient, start, end, inGradient: true);
            if (node.SeparatesContributions)
                ClearContributions(node, gradients, start, end);
            Operations.Backward(new OpContext<T>(_data, gradients.Data, in node, start, end, gradients.Origin, RowScheduler), node.Op);
            if (node.SeparatesContributions)
                AddContributions(node, gradients, start, end);
        }
        if (CheckFinite)
        {
            foreach (int t in program.Variables)
                RequireFinite(program.Nodes[t], gradients, program.Nodes[t].Output.Gradient, start, end, inGradient: true);
        }
    }

    private static void ClearContributions(in CompiledNode node, Storage gradients, int start, int end)
    {
        for (int k = 0; k < node.InputCount; k++)
        {
            TensorRef edge = node.Input(k);
            if (edge.AddTo >= 0 && !edge.OverwriteGradient)
                gradients.Range(edge.Gradient, edge.Length, start, end).Clear();
        }
    }

    /// <summary>A later writer's finished contribution joins the operand's gradient in one addition per element.</summary>
    private static void AddContributions(in CompiledNode node, Storage gradients, int start, int end)
    {
        for (int k = 0; k < node.InputCount; k++)
        {
            TensorRef edge = node.Input(k);
            if (edge.AddTo < 0)
                continue;
            Span<T> gradient = gradients.Range(edge.AddTo, edge.Length, start, end);
            TensorPrimitives.Add<T>(gradient, gradients.Range(edge.Gradient, edge.Length, start, end), gradient);
        }
    }

    private void Update(int start, int end, long[] optimizerSteps, Storage gradients)
    {
        OptimizerOptions options = Optimizer;
        T learningRate = T.CreateTruncating(options.LearningRate);
        foreach (ParameterSlots p in Program!.Parameters)
        {
            Span<T> w = Range(p.Value, p.Length, start, end), g = gradients.Range(p.Gradient, p.Length, start, end);
            switch (options.Kind)
            {
                case OptimizerKind.Sgd:
                    OptimizerStep.Sgd<T>(w, g, learningRate);
                    break;
                case OptimizerKind.Momentum:
                    OptimizerStep.Momentum<T>(w, g, Range(p.FirstState, p.Length, start, end), learningRate, T.CreateTruncating(options.MomentumCoefficient));
                    break;
                case OptimizerKind.Adam:
                    for (int i = start; i < end; i++)
                        OptimizerStep.Adam<T>(Range(p.Value, p.Length, i, i + 1), gradients.Range(p.Gradient, p.Length, i, i + 1),
                            Range(p.FirstState, p.Length, i, i + 1), Range(p.SecondState, p.Length, i, i + 1), optimizerSteps[i], options);
                    break;
            }
        }
    }

    /// <summary>
    /// An array of node regions: the arena (<see cref="Origin"/> 0: instance i at offset + i·length) or a block-local
    /// gradient scratch (<see cref="Origin"/> = the block's first instance, which sits at the scratch's instance 0).
    /// </summary>
    private readonly record struct Storage(T[] Data, int Origin)
    {
        public Span<T> Range(int offset, int length, int start, int end)
            => Data.AsSpan(offset + (start - Origin) * length, (end - start) * length);
    }

    private protected override void ReserveBlockScratch(int length)
    {
        if (length > 0)
        {
            BlockGradientScratch<T>.Rent(length);
            BlockGradientScratch<T>.Return();
        }
    }

    private protected override void ApplyLayout(NodeLayout[] layout, int arenaLength)
    {
        var data = new T[arenaLength];
        foreach (NodeLayout l in layout)
        {
            int count = InstanceCount * l.Length;
            bool hasOld = World.TryGet(l.Entity, out ValueSlot oldValue) && oldValue.Length == l.Length;
            if (hasOld)
            {
                _data.AsSpan(oldValue.Offset, count).CopyTo(data.AsSpan(l.Value, count));
                GradientSlot oldGradient = World.Get<GradientSlot>(l.Entity);
                if (oldGradient.Offset >= 0 && l.Gradient >= 0)
                    _data.AsSpan(oldGradient.Offset, count).CopyTo(data.AsSpan(l.Gradient, count));
            }
            else if (l.Op == OpCode.Parameter)
            {
                for (int i = 0; i < InstanceCount; i++)
                    Initialize(l, data.AsSpan(l.Value + i * l.Length, l.Length), i);
            }
            if (hasOld && World.TryGet(l.Entity, out OptimizerStateSlot oldState) && oldState.Length == l.Length)
            {
                if (l.FirstState >= 0 && oldState.FirstOffset >= 0)
                    _data.AsSpan(oldState.FirstOffset, count).CopyTo(data.AsSpan(l.FirstState, count));
                if (l.SecondState >= 0 && oldState.SecondOffset >= 0)
                    _data.AsSpan(oldState.SecondOffset, count).CopyTo(data.AsSpan(l.SecondState, count));
            }
        }
        foreach (NodeLayout l in layout)
        {
            SetComponent(l.Entity, new ValueSlot(l.Value, l.Length));
            SetComponent(l.Entity, new GradientSlot(l.Gradient, l.Length));
            if (World.Has<Trainable>(l.Entity))
                SetComponent(l.Entity, new OptimizerStateSlot(l.FirstState, l.SecondState, l.Length));
        }
        _data = data;
    }

    private protected override void MoveInstance(int from, int to)
    {
        foreach (NodeLayout l in Layout)
        {
            Move(l.Value, l.Length, from, to);
            Move(l.Gradient, l.Length, from, to);
            Move(l.FirstState, l.Length, from, to);
            Move(l.SecondState, l.Length, from, to);
        }
    }

    private protected override void ClearOptimizerState()
    {
        foreach (NodeLayout l in Layout)
        {
            if (l.FirstState >= 0)
                _data.AsSpan(l.FirstState, InstanceCount * l.Length).Clear();
            if (l.SecondState >= 0)
                _data.AsSpan(l.SecondState, InstanceCount * l.Length).Clear();
        }
    }

    private protected override void ResetInstance(int instance)
    {
        foreach (NodeLayout l in Layout)
        {
            Clear(l.Value, l.Length, instance);
            Clear(l.Gradient, l.Length, instance);
            Clear(l.FirstState, l.Length, instance);
            Clear(l.SecondState, l.Length, instance);
            if (l.Op == OpCode.Parameter)
                Initialize(l, _data.AsSpan(l.Value + instance * l.Length, l.Length), instance);
        }
    }

    private void Initialize(NodeLayout l, Span<T> destination, int instance)
    {
        ParameterInit init = World.TryGet(l.Entity, out ParameterInit found) ? found : ParameterInit.Zeros;
        Initializers.Fill(destination, init, l.Shape, Seed, InstanceKey(instance), (ulong)World.Get<GraphMember>(l.Entity).Index);
    }

    private void Move(int offset, int length, int from, int to)
    {
        if (offset >= 0)
            _data.AsSpan(offset + from * length, length).CopyTo(_data.AsSpan(offset + to * length, length));
    }

    private void Clear(int offset, int length, int instance)
    {
        if (offset >= 0)
            _data.AsSpan(offset + instance * length, length).Clear();
    }

    private void SetComponent<TComponent>(Entity e, in TComponent value) where TComponent : unmanaged
    {
        if (World.Has<TComponent>(e))
            World.Set(e, value);
        else
            World.Add(e, value);
    }

    private Span<T> Range(int offset, int length, int start, int end)
        => _data.AsSpan(offset + start * length, (end - start) * length);

    private static void RequireFinite(in CompiledNode node, Storage store, int offset, int start, int end, bool inGradient)
    {
        int length = node.Output.Length;
        if (Kernels.FiniteScan.AllFinite<T>(store.Range(offset, length, start, end)))
            return;
        for (int i = start; i < end; i++)
        {
            if (!TensorPrimitives.IsFiniteAll<T>(store.Range(offset, length, i, i + 1)))
                throw new NonFiniteValueException(node.Entity, node.Op, i, inGradient);
        }
    }
}
