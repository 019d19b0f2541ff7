using EcsNeural.Components;
using EcsNeural.Ecs;
using EcsNeural.Ecs.Jobs;
using EcsNeural.Systems.Optimizers;

namespace EcsNeural.Systems.Graph;

/// <summary>
/// One computational graph whose nodes are entities of a <see cref="World"/>, instantiated <see cref="InstanceCount"/>
/// times ("one graph, N instances"): every node's value, gradient and optimizer state has a leading instance dimension
/// in one pooled arena. N = 1 is a single network; a population of agents is the same graph with N instances.
/// Build it with a <see cref="GraphBuilder"/>, run it with the forward, backward and optimizer systems.
/// </summary>
/// <remarks>
/// <para>
/// This class is the graph's definition: its nodes, loss, requested gradients, optimizer and modes, its instances, and
/// compiling. The work is in three parts it owns: the <see cref="TensorArena{T}"/> (storage and its layout), the
/// <see cref="GraphSchedule"/> (the passes the systems request and the block jobs they become) and the
/// <see cref="BlockExecutor{T}"/> (the forward, backward and update loops a block job runs, calling the operations).
/// </para>
/// <para>
/// Compiling (shape checks, topological order, G′, arena layout) happens once and is kept until the graph changes
/// (<see cref="Invalidate"/>; the builder, <see cref="Remove"/>, <see cref="Loss"/>, <see cref="RequestGradients"/> and instance growth call it).
/// Parameter values, inputs and optimizer state survive recompiles.
/// </para>
/// </remarks>
public abstract class ComputeGraph
{
    private Entity _loss = Entity.Null;
    private Entity[]? _requested;
    private OptimizerOptions _optimizer = OptimizerOptions.Sgd(0.01);
    private GradientMode _gradientMode;
    private bool _trainingEnabled = true;
    private bool _clearOptimizerState;
    private bool _inferenceOnly;
    private InstanceLayout _layout;
    private Kernels.NumericsMode _numerics;
    private ulong[] _instanceKeys;
    private long[] _optimizerSteps;
    private ulong _nextInstanceKey;
    private int _nextNodeIndex;
    private readonly List<(Entity Node, string Role)> _externallyRead = [];
    private CompiledNodeRecord[] _compiledNodes = [];

    /// <summary>A node's components as the last compile read them, to notice changes made behind the graph's back.</summary>
    private readonly record struct CompiledNodeRecord(Entity Entity, GraphMember Member, Node Node, NodeInputs Inputs, NodeShape Shape, bool Trainable);

    private protected ComputeGraph(NeuralRuntime runtime, int id, int instances, ulong seed)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(instances);
        if (instances > GraphLimits.MaxArenaElements)
            throw new ArgumentOutOfRangeException(nameof(instances), instances,
                $"A graph holds at most {GraphLimits.MaxArenaElements:N0} instances (GraphLimits.MaxArenaElements); got {instances:N0}.");
        Runtime = runtime;
        Id = id;
        Seed = seed;
        InstanceCount = instances;
        InstanceCapacity = Math.Max(1, instances);
        _instanceKeys = new ulong[InstanceCapacity];
        _optimizerSteps = new long[InstanceCapacity];
        for (int i = 0; i < instances; i++)
            _instanceKeys[i] = _nextInstanceKey++;
    }

    /// <summary>The runtime that owns this graph.</summary>
    public NeuralRuntime Runtime { get; }
    /// <summary>The world holding the node entities.</summary>
    public World World => Runtime.World;
    /// <summary>The id stored in every node's <see cref="GraphMember"/>.</summary>
    public int Id { get; }
    /// <summary>Seed of every random draw (parameter initialisation) in this graph.</summary>
    public ulong Seed { get; }
    /// <summary>The element type, <c>float</c> or <c>double</c>.</summary>
    public abstract Type ElementType { get; }
    /// <summary>Live instances; instance i's tensors are the i-th slices of every node.</summary>
    public int InstanceCount { get; private set; }
    /// <summary>Instances the arena has room for before it must grow.</summary>
    public int InstanceCapacity { get; private set; }
    /// <summary>True when the compiled program matches the nodes.</summary>
    public bool IsCompiled { get; private set; }
    /// <summary>
    /// Instances per scheduled block: as many as fit <c>256 KiB</c> of per-instance tensors, between 1 and 64 (whole groups of
    /// lanes, at least one, when the layout is interleaved). It depends on the graph's shapes and layout only, never on the
    /// worker count, so results are the same with any number of workers.
    /// </summary>
    public int BlockSize { get; private set; } = 1;

    /// <summary>
    /// Bytes of the tensor arena (compiles first if needed): every node's value, the gradient slots of the nodes the backward
    /// pass differentiates (G′ and the requested variables; none when gradients are block-local or the graph is inference-only)
    /// and the optimizer state, for <see cref="InstanceCapacity"/> instances.
    /// </summary>
    public long ArenaBytes
    {
        get
        {
            Compile();
            return (long)Arena.Length * Arena.ElementBytes;
        }
    }

    /// <summary>
    /// Bytes of the per-thread gradient scratch one instance block uses when gradients are block-local
    /// (<see cref="GradientMode.BlockLocal"/>); 0 when gradients live in the arena.
    /// </summary>
    public long BlockGradientBytes => (long)CompiledProgram.BlockGradientLength * Arena.ElementBytes;

    /// <summary>Whether the forward and backward passes scan every value and gradient for NaN/±∞ (on by default; cheap).</summary>
    public bool CheckFinite { get; set; } = true;

    /// <summary>
    /// How this graph's kernels may round, from the runtime's <see cref="NeuralRuntime.Numerics"/> at creation; saved in
    /// checkpoints. Change it between ticks: a step already scheduled runs in the mode it started with.
    /// </summary>
    public Kernels.NumericsMode Numerics
    {
        get => _numerics;
        set
        {
            if (value == _numerics)
                return;
            _numerics = value;
            Invalidate();   // the instance layout depends on it
        }
    }

    /// <summary>
    /// How the arena orders instances (see <see cref="InstanceLayout"/>); <see cref="InstanceLayout.Automatic"/> by default.
    /// <see cref="CompiledLayout"/> tells what the last compile chose.
    /// </summary>
    public InstanceLayout Layout
    {
        get => _layout;
        set
        {
            _layout = value;
            Invalidate();
        }
    }

    /// <summary>
    /// Dense layers whose backward pass applies the SGD step itself under the current settings (compiles first if needed):
    /// those of an interleaved graph with block-local gradients, plain SGD and <see cref="CheckFinite"/> off, whose weights and
    /// bias no other node uses. Their weight gradients are never written; the parameters come out the same bits. With finite
    /// checks on the update stays a separate pass, which can put back a step that diverged.
    /// </summary>
    public int FusedUpdateLayers => CompiledProgram is var program && FusesUpdate ? program.Nodes.Count(n => n.MayUpdate) : 0;

    /// <summary>Whether a training step's dense layers marked <see cref="CompiledNode.MayUpdate"/> apply their update (see <see cref="FusedUpdateLayers"/>).</summary>
    internal bool FusesUpdate => Program is { Lanes.IsInterleaved: true, BlockGradientLength: > 0 } && !CheckFinite && !_inferenceOnly
        && _optimizer.Kind == OptimizerKind.Sgd;

    /// <summary>The layout the compiled program uses: <see cref="InstanceLayout.Contiguous"/> or <see cref="InstanceLayout.Interleaved"/> (compiles first if needed).</summary>
    public InstanceLayout CompiledLayout => CompiledProgram.Lanes.IsInterleaved ? InstanceLayout.Interleaved : InstanceLayout.Contiguous;
    /// <summary>Whether the backward and optimizer systems process this graph (false: inference only). Always false when <see cref="InferenceOnly"/>.</summary>
    public bool TrainingEnabled
    {
        get => _trainingEnabled && !_inferenceOnly;
        set => _trainingEnabled = value;
    }

    /// <summary>
    /// Whether the pipeline's systems run this graph every tick (true by default). False for a graph its owner steps itself,
    /// such as a policy's learning graph, which trains on minibatches only when a rollout is full.
    /// </summary>
    public bool RunsEachTick { get; set; } = true;

    /// <summary>Whether a tick trains this graph: it runs each tick, training is enabled and a loss is set (the backward and optimizer systems' test).</summary>
    internal bool Trains => RunsEachTick && TrainingEnabled && Loss != Entity.Null;

    /// <summary>
    /// A graph for shipping a trained model: no gradient or optimizer storage is allocated, the backward and optimizer
    /// systems skip it, and <see cref="ComputeGraph{T}.Gradients"/> throws. Parameter values survive switching it.
    /// </summary>
    public bool InferenceOnly
    {
        get => _inferenceOnly;
        set
        {
            Complete();
            _inferenceOnly = value;
            Invalidate();
        }
    }

    /// <summary>The scalar node whose gradient the backward pass computes, or <see cref="Entity.Null"/> for inference only.</summary>
    public Entity Loss
    {
        get => _loss;
        set { _loss = value; Invalidate(); }
    }

    /// <summary>The update rule (SGD with η = 0.01 until set). Validated when the options are created.</summary>
    public OptimizerOptions Optimizer
    {
        get => _optimizer;
        set
        {
            ArgumentNullException.ThrowIfNull(value);
            Complete();
            if (value.Kind != _optimizer.Kind)
            {
                // Another rule's state means nothing to this one: start from zero velocity / moments and t = 0.
                Array.Clear(_optimizerSteps);
                _clearOptimizerState = true;
                Invalidate();   // also gives the arena the right number of state slots
            }
            _optimizer = value;
        }
    }

    /// <summary>Whether backward passes overwrite or accumulate the variables' gradients, or keep them only inside each block's job (<see cref="GradientMode.BlockLocal"/>).</summary>
    public GradientMode GradientMode
    {
        get => _gradientMode;
        set { _gradientMode = value; Invalidate(); }
    }

    /// <summary>Operation nodes in the order the forward pass evaluates them (each exactly once).</summary>
    public IReadOnlyList<Entity> ForwardOrder => CompiledProgram.ForwardOrder;
    /// <summary>
    /// Operation nodes of G′ in the order the backward pass visits them (each exactly once); a node none of whose inputs is
    /// in G′ (a requested intermediate value) passes nothing back and is not visited.
    /// </summary>
    public IReadOnlyList<Entity> BackwardOrder => CompiledProgram.BackwardOrder;

    /// <summary>Optimizer steps taken by an instance (Adam's t).</summary>
    public long OptimizerSteps(int instance) => _optimizerSteps[CheckInstance(instance)];

    /// <summary>Sets the optimizer steps of an instance (Adam's t), e.g. when restoring a checkpoint.</summary>
    public void SetOptimizerSteps(int instance, long steps)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(steps);
        Complete();
        _optimizerSteps[CheckInstance(instance)] = steps;
    }

    /// <summary>
    /// Restricts the backward pass to the gradient of the loss with respect to these nodes (the lecture's G′: nodes that
    /// are ancestors of the loss and descendants of a variable). Only trainable nodes among them are updated by the optimizer.
    /// </summary>
    public void RequestGradients(ReadOnlySpan<Entity> variables)
    {
        _requested = variables.ToArray();
        Invalidate();
    }

    /// <summary>Every live node of the graph, in creation order (never query order).</summary>
    public Entity[] Nodes() => [.. GraphCompiler.CollectNodes(World, Id)];

    /// <summary>Marks the current end of the graph's nodes: <see cref="NodesAddedSince"/> lists those created after it.</summary>
    public GraphMark Mark() => new(Id, _nextNodeIndex);

    /// <summary>The live nodes created after <paramref name="mark"/>, in creation order.</summary>
    public Entity[] NodesAddedSince(GraphMark mark)
    {
        if (mark.GraphId != Id)
            throw new ArgumentException($"The mark belongs to graph {mark.GraphId}, not graph {Id}.", nameof(mark));
        return [.. GraphCompiler.CollectNodes(World, Id).Where(e => World.Get<GraphMember>(e).Index >= mark.FirstIndex)];
    }

    /// <summary>
    /// Removes nodes from the graph (destroying their entities), e.g. the gradient nodes a symbolic build added:
    /// <c>graph.Remove(graph.NodesAddedSince(mark))</c>. The graph recompiles and runs as if they had never been added;
    /// the other nodes keep their values, gradients and optimizer state. Refuses — naming the node, removing nothing — a
    /// node that a remaining node reads, the loss, a requested variable, a node an agent population reads or writes, or an
    /// entity that is not a live node of this graph.
    /// </summary>
    /// <exception cref="GraphValidationException">A node to remove is still read by a remaining node or a population, is the loss or is requested.</exception>
    /// <exception cref="ArgumentException">An entity is not a live node of this graph.</exception>
    public void Remove(ReadOnlySpan<Entity> nodes)
    {
        var removed = new HashSet<Entity>();
        foreach (Entity e in nodes)
        {
            ShapeOfUncompiled(e);   // throws, naming it, when e is not a live node of this graph
            removed.Add(e);
        }
        foreach ((Entity node, string role) in _externallyRead)
        {
            if (removed.Contains(node))
                throw new GraphValidationException(node, World.Get<Node>(node).Op, $"cannot be removed: it is {role}");
        }
        foreach (Entity e in removed)
        {
            if (e == _loss)
                throw new GraphValidationException(e, World.Get<Node>(e).Op, "cannot be removed: it is the graph's loss; set graph.Loss to another node first");
            if (_requested is not null && Array.IndexOf(_requested, e) >= 0)
                throw new GraphValidationException(e, World.Get<Node>(e).Op,
                    "cannot be removed: its gradient is requested (RequestGradients); request other variables first");
        }
        var stillRead = new List<(int ReaderIndex, Entity Node, Entity Reader, int Input)>();
        World.Query(new QueryDescription().WithAll<GraphMember, NodeInputs>(), (Entity e, ref GraphMember m, ref NodeInputs inputs) =>
        {
            if (m.GraphId != Id || removed.Contains(e))
                return;
            for (int k = 0; k < inputs.Count; k++)
            {
                if (removed.Contains(inputs[k]))
                    stillRead.Add((m.Index, inputs[k], e, k));
            }
        });
        if (stillRead.Count > 0)
        {
            (_, Entity node, Entity reader, int input) = stillRead.MinBy(r => r.ReaderIndex);   // the first reader created, not query order
            throw new GraphValidationException(node, World.Get<Node>(node).Op, $"cannot be removed: node {reader} ({World.Get<Node>(reader).Op}), "
                + $"which stays, reads it as input {input}; remove that node too, or keep this one");
        }
        if (removed.Count == 0)
            return;
        Complete();
        foreach (Entity e in removed)
            World.Destroy(e);
        Invalidate();
    }

    /// <summary>Marks the graph changed; the next compile (explicit, by a system, or by an accessor) rebuilds the program.</summary>
    public void Invalidate() => IsCompiled = false;

    /// <summary>Compiles now if the graph changed. Throws <see cref="GraphValidationException"/> on a bad graph.</summary>
    public void Compile()
    {
        Complete();
        CompileIfChanged();
    }

    /// <summary>Compiles if the graph changed, waiting for pending jobs only then (a relayout moves their data).</summary>
    internal void CompileIfChanged()
    {
        if (IsCompiled)
            return;
        Complete();
        (LaneLayout lanes, bool required) = LaneLayout.Allowed(_layout, Arena.ElementBytes, _numerics, InstanceCapacity, Id);
        (CompiledProgram program, NodeLayout[] layout, int arenaLength) =
            GraphCompiler.Compile(World, Id, _loss, _requested, _gradientMode, _inferenceOnly ? -1 : _optimizer.StateTensors, InstanceCapacity,
                Arena.ElementBytes, lanes, required);
        Arena.Arrange(LaneLayout.InstanceMajor);   // a relayout copies instance-major regions
        Arena.Relayout(layout, arenaLength);
        Program = program;
        Executor.ReserveScratch(program);
        if (_clearOptimizerState)
        {
            Arena.ClearOptimizerState();
            _clearOptimizerState = false;
        }
        BlockSize = program.BlockSize;
        _compiledNodes = Array.ConvertAll(layout, l => new CompiledNodeRecord(l.Entity, World.Get<GraphMember>(l.Entity), World.Get<Node>(l.Entity),
            World.TryGet(l.Entity, out NodeInputs inputs) ? inputs : default, l.Shape, World.Has<Trainable>(l.Entity)));
        IsCompiled = true;
    }

    /// <summary>
    /// What the compile system runs every tick: compiles the graph if it changed through its API, or else checks, in a few
    /// lookups per node, that no node entity was destroyed or had its components (<see cref="Node"/>,
    /// <see cref="NodeInputs"/>, <see cref="NodeShape"/>, <see cref="GraphMember"/>, the <see cref="Trainable"/> tag) changed
    /// behind the graph's back since the last compile. Call <see cref="Invalidate"/> after changing a node's components
    /// yourself; remove nodes with <see cref="Remove"/>.
    /// </summary>
    /// <exception cref="GraphValidationException">A node was destroyed or changed without the graph knowing; names it and what changed.</exception>
    public void Verify()
    {
        Complete();
        if (!IsCompiled)
        {
            CompileIfChanged();
            return;
        }
        foreach (CompiledNodeRecord compiled in _compiledNodes)
            RequireUnchanged(compiled);
    }

    private void RequireUnchanged(in CompiledNodeRecord compiled)
    {
        Entity e = compiled.Entity;
        OpCode op = compiled.Node.Op;
        if (!World.IsAlive(e))
            throw new GraphValidationException(e, op, $"was destroyed behind graph {Id}'s back, which still computes with it; remove nodes with "
                + "graph.Remove, which refuses a node that another node, the loss or an agent population still uses");
        string? change = !World.TryGet(e, out GraphMember member) || member != compiled.Member ? $"its GraphMember (was {compiled.Member})"
            : World.Get<Node>(e) != compiled.Node ? $"its Node (was {compiled.Node}, now {World.Get<Node>(e)})"
            : (World.TryGet(e, out NodeInputs inputs) ? inputs : default) != compiled.Inputs ? "its NodeInputs"
            : World.Get<NodeShape>(e) != compiled.Shape ? $"its NodeShape (was {compiled.Shape}, now {World.Get<NodeShape>(e)})"
            : World.Has<Trainable>(e) != compiled.Trainable ? $"its Trainable tag (was {(compiled.Trainable ? "there" : "absent")})"
            : null;
        if (change is not null)
            throw new GraphValidationException(e, op, $"{change} changed behind graph {Id}'s back, which still runs the program compiled before; "
                + "call graph.Invalidate() after changing a node's components, so the graph recompiles");
    }

    /// <summary>The shape of one instance of a node's value.</summary>
    public NodeShape ShapeOf(Entity node)
    {
        Compile();
        return World.Get<NodeShape>(node);
    }

    /// <summary>
    /// Adds an instance at index <see cref="InstanceCount"/> with freshly initialised parameters (drawn with a new
    /// instance key, so it never repeats a removed instance), zero inputs, gradients and optimizer state. Other instances
    /// are untouched. Returns the new index.
    /// </summary>
    /// <exception cref="GraphValidationException">One more instance would take the arena past <see cref="GraphLimits.MaxArenaElements"/>; nothing changed.</exception>
    public int AddInstance()
    {
        Complete();
        if (InstanceCount == InstanceCapacity)
            GrowCapacity();
        Compile();   // a relayout keeps the existing instances' data
        int instance = InstanceCount++;
        _instanceKeys[instance] = _nextInstanceKey++;
        _optimizerSteps[instance] = 0;
        Arena.ResetInstance(instance);
        return instance;
    }

    /// <summary>
    /// Doubles the instance capacity, or when the doubled arena would pass the limit grows it by one; the larger layout
    /// is compiled (validated and allocated) before anything else grows, and on failure the capacity is what it was.
    /// </summary>
    private void GrowCapacity()
    {
        int old = InstanceCapacity;
        int doubled = (int)Math.Min(2L * old, GraphLimits.MaxArenaElements);
        for (int attempt = 0; ; attempt++)
        {
            InstanceCapacity = attempt == 0 ? doubled : old + 1;
            Invalidate();
            try
            {
                CompileIfChanged();
                break;
            }
            catch (GraphValidationException) when (attempt == 0 && doubled > old + 1)
            {
            }
            catch
            {
                InstanceCapacity = old;
                Invalidate();
                throw;
            }
        }
        Array.Resize(ref _instanceKeys, InstanceCapacity);
        Array.Resize(ref _optimizerSteps, InstanceCapacity);
    }

    /// <summary>
    /// Removes an instance by moving the last instance's slices into its place (swap-remove), so the others keep
    /// their indices. Returns the index the last instance came from (== <paramref name="instance"/> when it was the last).
    /// </summary>
    public int RemoveInstance(int instance)
    {
        CheckInstance(instance);
        Compile();
        int last = InstanceCount - 1;
        if (instance != last)
        {
            Arena.MoveInstance(last, instance);
            _instanceKeys[instance] = _instanceKeys[last];
            _optimizerSteps[instance] = _optimizerSteps[last];
        }
        Arena.ClearInstance(last);   // an interleaved group's spare lanes compute on zeros
        InstanceCount--;
        return last;
    }

    /// <summary>Clears the gradients of every node for every instance (for <see cref="GradientMode.Accumulate"/>).</summary>
    /// <remarks>With <see cref="GradientMode.BlockLocal"/> there is no kept gradient to clear.</remarks>
    public void ZeroGradients()
    {
        Compile();
        Arena.ZeroGradients();
    }

    /// <summary>
    /// Waits for the jobs the systems scheduled on this graph. A failure inside a job (for example a
    /// <see cref="NonFiniteValueException"/>) is rethrown here, unwrapped; the graph stays usable.
    /// </summary>
    public void Complete() => Schedule.Complete();

    internal CompiledProgram CompiledProgram
    {
        get
        {
            Compile();
            return Program!;
        }
    }

    /// <summary>The compiled program, as last compiled (null before the first compile).</summary>
    internal CompiledProgram? Program { get; private set; }

    /// <summary>
    /// Puts the arena in the compiled program's instance order (interleaved, for a graph that runs so) before its passes
    /// or the population systems touch it; the typed accessors put it back in instance order. No jobs may be running.
    /// </summary>
    /// <summary>How the arena orders instances right now.</summary>
    internal LaneLayout ArrangedLanes => Arena.Arranged;

    internal LaneLayout ArrangeForPasses()
    {
        LaneLayout lanes = Program!.Lanes;
        Arena.Arrange(lanes);
        return lanes;
    }

    /// <summary>Puts the arena in instance order for a typed accessor (after waiting for the graph's jobs and compiling).</summary>
    private protected void ArrangeInstanceMajor()
    {
        Compile();
        Arena.Arrange(LaneLayout.InstanceMajor);
    }

    /// <summary>The key instance <paramref name="instance"/>'s parameters are drawn with (never reused after a removal).</summary>
    internal ulong InstanceKey(int instance) => _instanceKeys[instance];

    /// <summary>The passes requested this tick and the block jobs they run as.</summary>
    internal GraphSchedule Schedule { get; private protected init; } = null!;

    /// <summary>The tensor storage.</summary>
    private protected ITensorArena Arena { get; init; } = null!;

    /// <summary>The loops a block job runs.</summary>
    private protected IBlockExecutor Executor { get; init; } = null!;

    /// <summary>Counts an optimizer step for the instances [start, end) and returns every instance's count (Adam's t).</summary>
    internal long[] CountOptimizerStep(int start, int end)
    {
        for (int i = start; i < Math.Min(end, InstanceCount); i++)   // an interleaved block's spare lanes are no instances
            _optimizerSteps[i]++;
        return _optimizerSteps;
    }

    /// <summary>Takes back the step <see cref="CountOptimizerStep"/> counted for [start, end), when the update was refused.</summary>
    internal void UncountOptimizerStep(int start, int end)
    {
        for (int i = start; i < Math.Min(end, InstanceCount); i++)
            _optimizerSteps[i]--;
    }

    /// <summary>A node's declared or inferred shape without compiling; rejects nodes of other graphs.</summary>
    internal NodeShape ShapeOfUncompiled(Entity node)
    {
        if (!World.IsAlive(node) || !World.TryGet(node, out GraphMember member) || member.GraphId != Id)
            throw new ArgumentException($"{node} is not a live node of graph {Id}.", nameof(node));
        return World.Get<NodeShape>(node);
    }

    /// <summary>Records that something outside the graph reads or writes <paramref name="node"/>, so <see cref="Remove"/> refuses it.</summary>
    /// <param name="node">The node.</param>
    /// <param name="role">What it is to that reader, for the error (e.g. "the observation input of the graph's agent population").</param>
    internal void KeepNode(Entity node, string role) => _externallyRead.Add((node, role));

    internal GraphMember NextMember() => new(Id, _nextNodeIndex++);

    private protected int CheckInstance(int instance)
    {
        if ((uint)instance >= (uint)InstanceCount)
            throw new ArgumentOutOfRangeException(nameof(instance), instance, $"Instance {instance} does not exist; the graph has {InstanceCount}.");
        return instance;
    }
}
