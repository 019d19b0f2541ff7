using EcsNeural.Components;
using EcsNeural.Ecs;
using EcsNeural.Systems.Ops;

namespace EcsNeural.Systems.Graph;

/// <summary>
/// Turns a graph's node entities into a <see cref="CompiledProgram"/>: checks arity, inputs and shapes (writing each
/// operation node's inferred <see cref="NodeShape"/>), rejects cycles, sorts topologically (ties by creation index),
/// prunes the backward pass to G′, and lays the tensors out in the arena.
/// </summary>
internal static class GraphCompiler
{
    /// <summary>Alignment of every arena region, in elements (64 bytes for float).</summary>
    private const int RegionAlignment = 16;

    /// <summary>Bytes of per-instance tensors a block aims at, so a block's forward → backward → update stays in a core's L2.</summary>
    private const int TargetBlockBytes = 256 * 1024;

    /// <summary>The most instances in one block.</summary>
    private const int MaxBlockSize = 64;

    // optimizerStates: state tensors per trainable node; −1 for an inference-only graph (no gradient regions either).
    // lanes: the interleaved layout the graph's settings allow (instance-major when they do not); required: refuse a graph
    // whose nodes cannot run interleaved instead of falling back.
    public static (CompiledProgram Program, NodeLayout[] Layout, int ArenaLength) Compile(
        World world, int graphId, Entity loss, Entity[]? requested, GradientMode mode, int optimizerStates, int capacity, int elementBytes,
        LaneLayout lanes, bool required)
    {
        List<Entity> nodes = CollectNodes(world, graphId);
        var position = new Dictionary<Entity, int>(nodes.Count);
        for (int n = 0; n < nodes.Count; n++)
            position[nodes[n]] = n;
        int[][] parents = ReadInputs(world, nodes, position);
        int[] order = TopologicalOrder(world, nodes, parents);
        NodeShape[] shapes = InferShapes(world, nodes, parents, order);

        int lossNode = -1;
        if (loss != Entity.Null)
        {
            if (!position.TryGetValue(loss, out lossNode))
                throw new ArgumentException($"The loss {loss} is not a live node of graph {graphId}.", nameof(loss));
            if (shapes[lossNode] != NodeShape.Scalar)
                throw new GraphValidationException(loss, world.Get<Node>(loss).Op, $"a loss must be a [1×1] scalar, this node is {shapes[lossNode]}");
        }
        bool[] variable = Variables(world, nodes, position, requested);
        if (mode == GradientMode.BlockLocal)
            RequireTrainableVariables(world, nodes, variable);
        bool[] inPrunedGraph = lossNode < 0 ? new bool[nodes.Count] : PrunedGraph(nodes.Count, parents, order, lossNode, variable);

        bool blockLocal = optimizerStates >= 0 && mode == GradientMode.BlockLocal;
        bool[] hasGradient = GradientSlots(inPrunedGraph, variable, optimizerStates >= 0);
        if (lanes.IsInterleaved && NotInterleavable(world, nodes, parents, shapes, required) is not null)
            lanes = LaneLayout.InstanceMajor;
        int blockSize = BlockSize(world, nodes, shapes, hasGradient, optimizerStates, elementBytes);
        if (lanes.IsInterleaved)
            blockSize = Math.Max(lanes.Lanes, blockSize / lanes.Lanes * lanes.Lanes);   // blocks of whole groups
        var layout = new NodeLayout[nodes.Count];
        var gradients = new int[nodes.Count];   // arena offsets, or offsets into one block's scratch when block-local
        // Offsets in checked 64-bit arithmetic, each region checked against the limit as it is placed: an arena past
        // GraphLimits.MaxArenaElements is refused, naming the node whose region crosses it, before anything is allocated.
        long cursor = 0, scratchCursor = 0;
        int Region(ref long end, int n, int instances, string what)
        {
            long start = end;
            // Interleaved regions hold whole groups (the last one's spare lanes included).
            end = checked(end + (shapes[n].LongLength * lanes.Groups(instances) + RegionAlignment - 1) / RegionAlignment * RegionAlignment);
            GraphLimits.RequireArenaFits(nodes[n], world.Get<Node>(nodes[n]).Op, shapes[n], end, instances, what);
            return (int)start;
        }
        const string Arena = "the tensor arena", Scratch = "one instance block's gradient scratch";
        for (int n = 0; n < nodes.Count; n++)
        {
            bool trainable = world.Has<Trainable>(nodes[n]);
            int value = Region(ref cursor, n, capacity, Arena);
            gradients[n] = !hasGradient[n] ? -1 : blockLocal ? Region(ref scratchCursor, n, blockSize, Scratch) : Region(ref cursor, n, capacity, Arena);
            layout[n] = new NodeLayout(nodes[n], world.Get<Node>(nodes[n]).Op, shapes[n], value, blockLocal ? -1 : gradients[n],
                trainable && optimizerStates >= 1 ? Region(ref cursor, n, capacity, Arena) : -1,
                trainable && optimizerStates >= 2 ? Region(ref cursor, n, capacity, Arena) : -1);
        }
        // Where a later writer of a gradient computes its contribution before adding it: one region per operand position
        // and length, so an instance sits at the same place for every edge sharing it and parallel blocks never overlap.
        // A region is sized like the operand (creation position `operand`) whose gradient it contributes to.
        var contributions = new Dictionary<(int Operand, int Length), int>();
        int ContributionRegion(int position, int length, int operandNode)
        {
            if (!contributions.TryGetValue((position, length), out int start))
                contributions[(position, length)] = start = blockLocal ? Region(ref scratchCursor, operandNode, blockSize, Scratch) : Region(ref cursor, operandNode, capacity, Arena);
            return start;
        }
        CompiledProgram program = BuildProgram(world, nodes, parents, order, layout, gradients, inPrunedGraph, variable, lossNode, mode,
            blockSize, lanes, ContributionRegion);
        program.BlockGradientLength = (int)scratchCursor;
        return (program, layout, (int)cursor);
    }

    /// <summary>
    /// Why the graph's nodes cannot run interleaved (an op that mixes an instance's elements without saying it handles
    /// interleaved operands, or a dense layer with more than one sample per instance), or null. When the layout is
    /// required, the reason is a <see cref="GraphValidationException"/> naming the node.
    /// </summary>
    private static string? NotInterleavable(World world, List<Entity> nodes, int[][] parents, NodeShape[] shapes, bool required)
    {
        for (int n = 0; n < nodes.Count; n++)
        {
            OpCode op = world.Get<Node>(nodes[n]).Op;
            string? reason = !Operations.Interleaves(op) ? "its operation does not run on interleaved instances"
                : op == OpCode.Dense && shapes[parents[n][0]].Rows != 1 ? $"an interleaved dense layer takes one sample per instance, its input is {shapes[parents[n][0]]}"
                : null;
            if (reason is null)
                continue;
            if (required)
                throw new GraphValidationException(nodes[n], op, reason + " (the graph's Layout is InstanceLayout.Interleaved; use Automatic to fall back)");
            return reason;
        }
        return null;
    }

    /// <summary>
    /// Which nodes get a gradient slot: those whose gradient the backward pass computes (G′) and the requested variables
    /// (a variable the loss does not depend on keeps a gradient of zeros). Every other node — inputs, targets, forward-only
    /// branches such as symbolic gradient nodes — would hold a gradient nothing writes or reads. None without gradients.
    /// </summary>
    private static bool[] GradientSlots(bool[] inPrunedGraph, bool[] variable, bool hasGradients)
    {
        var slot = new bool[inPrunedGraph.Length];
        if (hasGradients)
            for (int n = 0; n < slot.Length; n++)
                slot[n] = inPrunedGraph[n] || variable[n];
        return slot;
    }

    /// <summary>
    /// Instances per block: as many as fit <see cref="TargetBlockBytes"/> of per-instance tensors (value, gradient, optimizer
    /// state; a block-local gradient counts too, it is in the same cache), between 1 and <see cref="MaxBlockSize"/>.
    /// </summary>
    private static int BlockSize(World world, List<Entity> nodes, NodeShape[] shapes, bool[] hasGradient, int optimizerStates, int elementBytes)
    {
        long bytesPerInstance = 0;
        for (int n = 0; n < nodes.Count; n++)
        {
            int states = world.Has<Trainable>(nodes[n]) ? Math.Max(0, optimizerStates) : 0;
            bytesPerInstance += (long)shapes[n].Length * (1 + (hasGradient[n] ? 1 : 0) + states) * elementBytes;
        }
        return (int)Math.Clamp(TargetBlockBytes / Math.Max(1, bytesPerInstance), 1, MaxBlockSize);
    }

    /// <summary>Block-local gradients are consumed by the optimizer and never readable: a non-trainable variable's gradient would be lost work.</summary>
    private static void RequireTrainableVariables(World world, List<Entity> nodes, bool[] variable)
    {
        for (int n = 0; n < nodes.Count; n++)
        {
            if (variable[n] && !world.Has<Trainable>(nodes[n]))
                throw new GraphValidationException(nodes[n], world.Get<Node>(nodes[n]).Op,
                    "its gradient is requested, but the graph's gradients are block-local (GradientMode.BlockLocal): only the optimizer "
                    + "sees them, so only trainable nodes may be requested; use GradientMode.ZeroEachStep to read gradients");
        }
    }

    /// <summary>The graph's nodes in creation order (never query order).</summary>
    internal static List<Entity> CollectNodes(World world, int graphId)
    {
        var members = new List<(int Index, Entity Entity)>();
        world.Query(new QueryDescription().WithAll<GraphMember, Node>(), (Entity e, ref GraphMember m) =>
        {
            if (m.GraphId == graphId)
                members.Add((m.Index, e));
        });
        members.Sort((a, b) => a.Index.CompareTo(b.Index));   // creation order, never query order
        return members.ConvertAll(m => m.Entity);
    }

    private static int[][] ReadInputs(World world, List<Entity> nodes, Dictionary<Entity, int> position)
    {
        var parents = new int[nodes.Count][];
        for (int n = 0; n < nodes.Count; n++)
        {
            Entity e = nodes[n];
            OpCode op = world.Get<Node>(e).Op;
            NodeInputs inputs = world.TryGet(e, out NodeInputs found) ? found : default;
            int arity = Operations.Arity(op);
            if (inputs.Count != arity)
                throw new GraphValidationException(e, op, $"takes {arity} inputs but has {inputs.Count}");
            if (arity == 0 && !world.Has<NodeShape>(e))
                throw new GraphValidationException(e, op, "a leaf needs an explicit NodeShape");
            parents[n] = new int[arity];
            for (int k = 0; k < arity; k++)
            {
                Entity parent = inputs[k];
                if (!world.IsAlive(parent) || !position.TryGetValue(parent, out int p))
                    throw new GraphValidationException(e, op, $"input {k} ({parent}) is not a live node of this graph");
                parents[n][k] = p;
            }
        }
        return parents;
    }

    /// <summary>Depth-first post-order from each node in creation order; a node met again while on the stack closes a cycle.</summary>
    private static int[] TopologicalOrder(World world, List<Entity> nodes, int[][] parents)
    {
        var state = new byte[nodes.Count];   // 0 unvisited, 1 on the stack, 2 done
        var order = new List<int>(nodes.Count);
        var stack = new Stack<(int Node, int NextParent)>();
        for (int root = 0; root < nodes.Count; root++)
        {
            if (state[root] != 0)
                continue;
            stack.Push((root, 0));
            state[root] = 1;
            while (stack.Count > 0)
            {
                (int node, int next) = stack.Pop();
                if (next < parents[node].Length)
                {
                    stack.Push((node, next + 1));
                    int parent = parents[node][next];
                    if (state[parent] == 1)
                        throw new GraphValidationException(nodes[parent], world.Get<Node>(nodes[parent]).Op,
                            "is on a cycle: it depends on its own value");
                    if (state[parent] == 0)
                    {
                        state[parent] = 1;
                        stack.Push((parent, 0));
                    }
                }
                else
                {
                    state[node] = 2;
                    order.Add(node);
                }
            }
        }
        return order.ToArray();
    }

    private static NodeShape[] InferShapes(World world, List<Entity> nodes, int[][] parents, int[] order)
    {
        var shapes = new NodeShape[nodes.Count];
        Span<NodeShape> inputShapes = stackalloc NodeShape[NodeInputs.MaxArity];
        foreach (int n in order)
        {
            Entity e = nodes[n];
            Node node = world.Get<Node>(e);
            if (parents[n].Length == 0)
            {
                shapes[n] = world.Get<NodeShape>(e);
                if (shapes[n].Rows < 1 || shapes[n].Cols < 1)
                    throw new GraphValidationException(e, node.Op, $"shape {shapes[n]} is empty (an empty batch?); rows and columns must be at least 1");
                GraphLimits.RequireNodeFits(e, node.Op, shapes[n]);
                continue;
            }
            for (int k = 0; k < parents[n].Length; k++)
                inputShapes[k] = shapes[parents[n][k]];
            shapes[n] = InferShape(e, node, inputShapes[..parents[n].Length]);
            if (world.Has<NodeShape>(e))
                world.Set(e, shapes[n]);
            else
                world.Add(e, shapes[n]);
        }
        return shapes;
    }

    /// <summary>
    /// The operation's shape rule, its failure turned into an error naming the node, its operation and the input shapes;
    /// a result beyond <see cref="GraphLimits.MaxArenaElements"/> is an error too.
    /// </summary>
    public static NodeShape InferShape(Entity e, in Node node, ReadOnlySpan<NodeShape> inputShapes)
    {
        NodeShape shape;
        try
        {
            shape = Operations.Shape(node, inputShapes);
        }
        catch (InvalidShapeException ex)
        {
            throw new GraphValidationException(e, node.Op, $"{ex.Message} (input shapes: {string.Join(", ", inputShapes.ToArray())})");
        }
        GraphLimits.RequireNodeFits(e, node.Op, shape);
        return shape;
    }

    private static bool[] Variables(World world, List<Entity> nodes, Dictionary<Entity, int> position, Entity[]? requested)
    {
        var variable = new bool[nodes.Count];
        if (requested is null)
        {
            for (int n = 0; n < nodes.Count; n++)
                variable[n] = world.Has<Trainable>(nodes[n]);
            return variable;
        }
        foreach (Entity e in requested)
        {
            if (!position.TryGetValue(e, out int n))
                throw new ArgumentException($"The requested variable {e} is not a live node of this graph.", nameof(requested));
            variable[n] = true;
        }
        return variable;
    }

    /// <summary>G′: nodes that are ancestors of the loss (or the loss) and descendants of a requested variable (or one).</summary>
    private static bool[] PrunedGraph(int count, int[][] parents, int[] order, int loss, bool[] variable)
    {
        var descendant = new bool[count];
        foreach (int n in order)
        {
            descendant[n] = variable[n];
            foreach (int p in parents[n])
                descendant[n] |= descendant[p];
        }
        var ancestor = new bool[count];
        ancestor[loss] = true;
        for (int i = order.Length - 1; i >= 0; i--)
        {
            int n = order[i];
            if (!ancestor[n])
                continue;
            foreach (int p in parents[n])
                ancestor[p] = true;
        }
        var pruned = new bool[count];
        for (int n = 0; n < count; n++)
            pruned[n] = ancestor[n] && descendant[n];
        return pruned;
    }

    /// <summary>
    /// Decides how each operand edge's gradient is written. The first writer in backward order overwrites it when the
    /// operation can (<see cref="Operations.OverwritesFirstGradient"/>), the operand appears once in the node and the
    /// gradient is not accumulated across passes; otherwise it adds into the cleared gradient. Every later writer computes
    /// its whole contribution in a fresh region (<paramref name="contributions"/>) that is then added to the gradient once
    /// — the order in which a symbolic gradient sums a node's contributions, so the two round alike. Returns, per node,
    /// whether some edge overwrites its gradient (so it need not be cleared).
    /// </summary>
    private static bool[] MarkOverwrittenGradients(CompiledNode[] compiled, List<int> backward, int[][] parents, int[] order,
        bool[] accumulated, Func<int, int, int, int> contributions)
    {
        var written = new bool[order.Length];
        var overwritten = new bool[order.Length];
        var topological = new int[order.Length];   // creation position → topological position
        for (int t = 0; t < order.Length; t++)
            topological[order[t]] = t;
        foreach (int t in backward)
        {
            int[] operands = parents[order[t]];
            for (int k = 0; k < operands.Length; k++)
            {
                int input = topological[operands[k]];
                TensorRef edge = compiled[t].Input(k);
                if (!edge.NeedsGradient)
                    continue;
                bool once = Array.IndexOf(operands, operands[k]) == Array.LastIndexOf(operands, operands[k]);
                if (written[input])
                {
                    compiled[t].SetInput(k, edge with
                    {
                        Gradient = contributions(k, edge.Length, operands[k]), AddTo = edge.Gradient, OverwriteGradient = Operations.OverwritesFirstGradient(compiled[t].Op),
                    });
                    compiled[t].SeparatesContributions = true;
                }
                else if (once && !accumulated[input] && Operations.OverwritesFirstGradient(compiled[t].Op))
                {
                    compiled[t].SetInput(k, edge with { OverwriteGradient = true });
                    overwritten[input] = true;
                }
                written[input] = true;
            }
        }
        return overwritten;
    }

    private static CompiledProgram BuildProgram(World world, List<Entity> nodes, int[][] parents, int[] order, NodeLayout[] layout,
        int[] gradients, bool[] inPrunedGraph, bool[] variable, int lossNode, GradientMode mode, int blockSize, LaneLayout lanes,
        Func<int, int, int, int> contributions)
    {
        var topological = new int[nodes.Count];   // creation position → position in topological order
        for (int t = 0; t < order.Length; t++)
            topological[order[t]] = t;
        TensorRef Ref(int n) => new(layout[n].Value, gradients[n], layout[n].Shape, inPrunedGraph[n]);

        var compiled = new CompiledNode[order.Length];
        var accumulated = new bool[order.Length];
        var leaves = new List<int>();
        var forward = new List<int>();
        var backward = new List<int>();
        var variables = new List<int>();
        var parameters = new List<ParameterSlots>();
        for (int t = 0; t < order.Length; t++)
        {
            int n = order[t];
            compiled[t] = new CompiledNode
            {
                Entity = nodes[n],
                Node = world.Get<Node>(nodes[n]),
                InputCount = parents[n].Length,
                Output = Ref(n),
                Input0 = parents[n].Length > 0 ? Ref(parents[n][0]) : default,
                Input1 = parents[n].Length > 1 ? Ref(parents[n][1]) : default,
                Input2 = parents[n].Length > 2 ? Ref(parents[n][2]) : default,
            };
            (parents[n].Length == 0 ? leaves : forward).Add(t);
            accumulated[t] = variable[n] && mode == GradientMode.Accumulate;
            if (!inPrunedGraph[n] || !variable[n])
                continue;
            variables.Add(t);
            if (world.Has<Trainable>(nodes[n]))
                parameters.Add(new ParameterSlots(t, layout[n].Value, gradients[n], layout[n].FirstState, layout[n].SecondState, layout[n].Length));
        }
        for (int t = order.Length - 1; t >= 0; t--)
        {
            // A node of G′ whose inputs are all outside it (a requested intermediate value) has nothing to pass back.
            if (inPrunedGraph[order[t]] && parents[order[t]].Any(p => inPrunedGraph[p]))
                backward.Add(t);
        }
        bool[] overwritten = MarkOverwrittenGradients(compiled, backward, parents, order, accumulated, contributions);
        if (lanes.IsInterleaved && mode == GradientMode.BlockLocal)
            MarkUpdatingDenseLayers(world, nodes, parents, order, compiled, parameters);
        var cleared = new List<int>();
        for (int t = 0; t < order.Length; t++)
        {
            if (inPrunedGraph[order[t]] && !overwritten[t] && !accumulated[t])
                cleared.Add(t);
        }
        return new CompiledProgram
        {
            Nodes = compiled,
            Leaves = leaves.ToArray(),
            ForwardSteps = forward.ToArray(),
            BackwardSteps = backward.ToArray(),
            ClearedGradients = cleared.ToArray(),
            Variables = variables.ToArray(),
            Parameters = parameters.ToArray(),
            Loss = lossNode < 0 ? -1 : topological[lossNode],
            ForwardOrder = forward.Select(t => compiled[t].Entity).ToArray(),
            BackwardOrder = backward.Select(t => compiled[t].Entity).ToArray(),
            BlockSize = blockSize,
            Lanes = lanes,
        };
    }

    /// <summary>
    /// Interleaved dense layers whose weights and bias are trainable, used by no other node and block-local: their backward
    /// pass may apply an SGD step itself (the weight gradient is then never written; see <see cref="CompiledNode.MayUpdate"/>).
    /// </summary>
    private static void MarkUpdatingDenseLayers(World world, List<Entity> nodes, int[][] parents, int[] order, CompiledNode[] compiled,
        List<ParameterSlots> parameters)
    {
        var consumers = new int[nodes.Count];
        foreach (int[] operands in parents)
            foreach (int p in operands)
                consumers[p]++;
        var parameterAt = new Dictionary<int, int>();   // topological position → index in parameters
        for (int k = 0; k < parameters.Count; k++)
            parameterAt[parameters[k].Node] = k;
        var topological = new int[order.Length];
        for (int t = 0; t < order.Length; t++)
            topological[order[t]] = t;
        for (int t = 0; t < order.Length; t++)
        {
            int[] operands = parents[order[t]];
            if (compiled[t].Op != OpCode.Dense || consumers[operands[1]] != 1 || consumers[operands[2]] != 1 || operands[1] == operands[2]
                || !parameterAt.TryGetValue(topological[operands[1]], out int w) || !parameterAt.TryGetValue(topological[operands[2]], out int b))
                continue;
            compiled[t].MayUpdate = true;
            parameters[w] = parameters[w] with { UpdatedBy = t };
            parameters[b] = parameters[b] with { UpdatedBy = t };
        }
    }
}
