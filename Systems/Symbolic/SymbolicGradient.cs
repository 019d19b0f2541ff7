using EcsNeural.Components;
using EcsNeural.Ecs;
using EcsNeural.Systems.Graph;

namespace EcsNeural.Systems.Symbolic;

/// <summary>
/// Symbol-to-symbol differentiation (the lecture's build_grad): instead of numbers, the gradient of a scalar node with
/// respect to a set of variables is added to the same graph as new node entities, described in the same operations as
/// the original expression. The ordinary forward system evaluates them (reusing the forward values they read), and
/// because they are ordinary nodes they can be differentiated again: second derivatives, Hessian-vector products,
/// Hessians, gradient penalties.
/// </summary>
/// <remarks>
/// Build walks the compiled topological order backwards over G′ (ancestors of the output that descend from a
/// variable) with a grad table of node entities: a node's gradient is the sum of its consumers' contributions, added
/// in the order the numeric backward pass adds them (consumers in reverse topological order, inputs in operand
/// order), and each operation's bprop (<see cref="Ops.OpDescription"/>'s, declared in the op's file) emits its contributions as nodes, mirroring the
/// numeric expression operation for operation — so most gradients equal the numeric ones bit for bit.
/// </remarks>
public static class SymbolicGradient
{
    /// <summary>
    /// Adds the nodes of ∂<paramref name="output"/>/∂v for every v in <paramref name="variables"/> to the builder's graph
    /// and returns them, one per variable, each shaped like its variable (a constant 0 node when the output does not
    /// depend on it). On failure nothing is added.
    /// </summary>
    /// <param name="builder">The builder of the graph holding <paramref name="output"/>.</param>
    /// <param name="output">A [1×1] node (per instance): the expression being differentiated.</param>
    /// <param name="variables">Nodes of the same graph: parameters, inputs or intermediate values.</param>
    /// <param name="piecewise">What to do when a derivative passes through a step/sign mask or maxout's routing.</param>
    /// <exception cref="NotTwiceDifferentiableException">Under <see cref="PiecewiseDerivative.Refuse"/>, a derivative passes through a mask.</exception>
    public static Entity[] Build(GraphBuilder builder, Entity output, ReadOnlySpan<Entity> variables,
        PiecewiseDerivative piecewise = PiecewiseDerivative.Refuse)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ComputeGraph graph = builder.Graph;
        NodeShape outputShape = graph.ShapeOfUncompiled(output);
        if (outputShape != NodeShape.Scalar)
            throw new ArgumentException($"Node {output} ({graph.World.Get<Node>(output).Op}) is {outputShape}; a gradient needs a [1×1] output.", nameof(output));
        foreach (Entity v in variables)
            graph.ShapeOfUncompiled(v);   // throws, naming it, when v is not a node of this graph
        Entity[] requested = variables.ToArray();

        CompiledNode[] nodes = graph.CompiledProgram.Nodes;
        return AddingNodes(graph, firstNew =>
        {
            var origins = new List<(int FirstIndex, GradientOrigin Origin)>();
            Entity[] gradients = new GradTable(builder, nodes, piecewise, origins).Run(output, requested);
            TagOrigins(graph, firstNew, origins);
            return gradients;
        });
    }

    /// <summary>
    /// Hessian-vector products H·v = ∇(∇f · v) without forming H: one gradient, its dot product with
    /// <paramref name="vectors"/> (one node per variable, same shapes, e.g. inputs the host fills), and the gradient of
    /// that. Returns one node per variable, shaped like it. On failure nothing is added.
    /// </summary>
    public static Entity[] HessianVectorProduct(GraphBuilder builder, Entity output, ReadOnlySpan<Entity> variables,
        ReadOnlySpan<Entity> vectors, PiecewiseDerivative piecewise = PiecewiseDerivative.Refuse)
    {
        ArgumentNullException.ThrowIfNull(builder);
        if (vectors.Length != variables.Length)
            throw new ArgumentException($"{variables.Length} variables need {variables.Length} vectors, got {vectors.Length}.", nameof(vectors));
        for (int k = 0; k < variables.Length; k++)
        {
            NodeShape variable = builder.Graph.ShapeOfUncompiled(variables[k]), vector = builder.Graph.ShapeOfUncompiled(vectors[k]);
            if (variable != vector)
                throw new ArgumentException($"Vector {k} ({vectors[k]}) is {vector} but variable {variables[k]} is {variable}.", nameof(vectors));
        }
        Entity[] theta = variables.ToArray(), v = vectors.ToArray();
        return AddingNodes(builder.Graph, _ =>
        {
            Entity[] gradients = Build(builder, output, theta, piecewise);
            Entity dot = Entity.Null;
            for (int k = 0; k < gradients.Length; k++)
            {
                Entity term = builder.Dot(gradients[k], v[k]);
                dot = k == 0 ? term : builder.Add(dot, term);
            }
            return dot == Entity.Null ? [] : Build(builder, dot, theta, piecewise);
        });
    }

    /// <summary>
    /// The full Hessian of a small function: row r is ∇(∂f/∂θ_r), where θ runs over the elements of every variable in
    /// order (row-major within a variable). Returns rows[r][k], the part of row r that belongs to variable k. Builds one
    /// Hessian-vector product per element with a constant basis vector, so keep it to functions of a few hundred parameters.
    /// On failure nothing is added.
    /// </summary>
    public static Entity[][] Hessian(GraphBuilder builder, Entity output, ReadOnlySpan<Entity> variables,
        PiecewiseDerivative piecewise = PiecewiseDerivative.Refuse)
    {
        ArgumentNullException.ThrowIfNull(builder);
        Entity[] theta = variables.ToArray();
        return AddingNodes(builder.Graph, _ =>
        {
            Entity[] gradients = Build(builder, output, theta, piecewise);
            var rows = new List<Entity[]>();
            for (int k = 0; k < gradients.Length; k++)
            {
                int length = builder.Graph.ShapeOfUncompiled(theta[k]).Length;
                for (int j = 0; j < length; j++)
                {
                    Entity element = builder.Dot(gradients[k], builder.OneHot(gradients[k], j));   // exactly ∂f/∂θ_j
                    rows.Add(Build(builder, element, theta, piecewise));
                }
            }
            return rows.ToArray();
        });
    }

    /// <summary>
    /// A gradient penalty as a graph: loss + λ‖∇ₓ loss‖². Set <see cref="PenalizedLoss.Total"/> as the graph's loss and
    /// the engine's backward and optimizer systems train it (the numeric backward pass differentiates the gradient nodes).
    /// </summary>
    public static PenalizedLoss GradientPenalty(GraphBuilder builder, Entity loss, Entity x, double lambda,
        PiecewiseDerivative piecewise = PiecewiseDerivative.Refuse)
    {
        ArgumentNullException.ThrowIfNull(builder);
        if (!double.IsFinite(lambda) || lambda < 0)
            throw new ArgumentOutOfRangeException(nameof(lambda), lambda, "λ must be finite and ≥ 0.");
        Entity gradient = Build(builder, loss, [x], piecewise)[0];
        Entity penalty = builder.Sum(builder.Square(gradient));
        return new PenalizedLoss(builder.Add(loss, builder.Scale(penalty, lambda)), penalty, gradient);
    }

    /// <summary>Whether the operation's gradient can be differentiated again without passing through a piecewise-constant mask.</summary>
    public static bool IsTwiceDifferentiable(OpCode op) => Ops.Operations.Of(op).TwiceDifferentiable;

    /// <summary>Runs <paramref name="build"/>, which adds nodes to the graph; if it throws, removes every node it added.</summary>
    private static T AddingNodes<T>(ComputeGraph graph, Func<int, T> build)
    {
        GraphMark mark = graph.Mark();   // every node added from here on has a creation index ≥ mark.FirstIndex
        try
        {
            return build(mark.FirstIndex);
        }
        catch
        {
            graph.Remove(graph.NodesAddedSince(mark));   // nothing older reads a node added here
            throw;
        }
    }

    private static void TagOrigins(ComputeGraph graph, int firstNew, List<(int FirstIndex, GradientOrigin Origin)> origins)
    {
        var added = new List<(Entity Entity, int Index)>();
        graph.World.Query(new QueryDescription().WithAll<GraphMember>(), (Entity e, ref GraphMember m) =>
        {
            if (m.GraphId == graph.Id && m.Index >= firstNew)
                added.Add((e, m.Index));
        });
        foreach ((Entity e, int index) in added)
        {
            int segment = origins.FindLastIndex(o => o.FirstIndex <= index);
            graph.World.Add(e, origins[segment].Origin);
        }
    }

    /// <summary>One run of build_grad: the grad table over a compiled program.</summary>
    private sealed class GradTable(GraphBuilder builder, CompiledNode[] nodes, PiecewiseDerivative piecewise,
        List<(int FirstIndex, GradientOrigin Origin)> origins)
    {
        private readonly World _world = builder.Graph.World;
        private readonly BpropContext _context = new(builder);

        public Entity[] Run(Entity output, Entity[] variables)
        {
            var position = new Dictionary<Entity, int>(nodes.Length);
            for (int t = 0; t < nodes.Length; t++)
                position[nodes[t].Entity] = t;
            int[][] parents = Parents(position);
            bool[] inPrunedGraph = PrunedGraph(parents, position[output], variables.Select(v => position[v]));

            // contributions[t]: the gradient nodes given to node t so far, in the numeric backward pass's order.
            var contributions = new List<Entity>?[nodes.Length];
            var gradient = new Entity[nodes.Length];
            Array.Fill(gradient, Entity.Null);
            int outputPosition = position[output];
            if (inPrunedGraph[outputPosition])
            {
                Begin(output);
                contributions[outputPosition] = [builder.Fill(output, 1)];   // ∂z/∂z = 1
            }
            Span<bool> needs = stackalloc bool[NodeInputs.MaxArity];
            for (int t = outputPosition; t >= 0; t--)
            {
                if (!inPrunedGraph[t] || contributions[t] is not { } given)
                    continue;   // outside G′, or every contribution was an exact or almost-everywhere zero
                ref readonly CompiledNode node = ref nodes[t];
                Begin(node.Entity);
                gradient[t] = SumInOrder(given);
                if (parents[t].Length == 0)
                    continue;
                bool any = false;
                for (int k = 0; k < parents[t].Length; k++)
                    any |= needs[k] = inPrunedGraph[parents[t][k]] && !TakesZeroThrough(node, k);
                if (!any)
                    continue;   // a variable whose own inputs do not depend on any variable, or only masks' zeros
                _context.Reset(node.Entity, node.Node, _world.Get<NodeInputs>(node.Entity), gradient[t], needs[..parents[t].Length]);
                Action<BpropContext> bprop = Ops.Operations.Of(node.Node.Op).Bprop
                    ?? throw new InvalidOperationException($"{node.Node.Op} has no symbolic bprop.");
                bprop(_context);
                foreach ((int input, Entity g) in _context.Given)
                    (contributions[parents[t][input]] ??= []).Add(g);
            }

            var result = new Entity[variables.Length];
            for (int k = 0; k < variables.Length; k++)
            {
                int t = position[variables[k]];
                if (gradient[t] == Entity.Null)
                {
                    Begin(variables[k]);
                    gradient[t] = builder.Fill(variables[k], 0);   // the output does not depend on it
                }
                result[k] = gradient[t];
            }
            return result;
        }

        /// <summary>Starts the run of nodes made for <paramref name="node"/>'s gradient (for <see cref="GradientOrigin"/>).</summary>
        private void Begin(Entity node)
            => origins.Add((builder.Graph.NextMember().Index, new GradientOrigin(node, _world.Get<Node>(node).Op)));

        /// <summary>((c₀ + c₁) + c₂) + …: the numeric pass adds each contribution into the gradient in this order.</summary>
        private Entity SumInOrder(List<Entity> given)
        {
            Entity sum = given[0];
            for (int i = 1; i < given.Count; i++)
                sum = builder.Add(sum, given[i]);
            return sum;
        }

        /// <summary>
        /// True when input k of the node is one it is piecewise constant in and the policy takes that derivative as 0;
        /// throws when the policy refuses.
        /// </summary>
        private bool TakesZeroThrough(in CompiledNode node, int k)
        {
            if (!Ops.Operations.Of(node.Op).IsPiecewiseConstantIn(k))
                return false;
            if (piecewise == PiecewiseDerivative.ZeroAlmostEverywhere)
                return true;
            GradientOrigin? origin = _world.TryGet(node.Entity, out GradientOrigin found) ? found : null;
            throw new NotTwiceDifferentiableException(node.Entity, node.Op, k, origin);
        }

        private int[][] Parents(Dictionary<Entity, int> position)
        {
            var parents = new int[nodes.Length][];
            for (int t = 0; t < nodes.Length; t++)
            {
                NodeInputs inputs = _world.Get<NodeInputs>(nodes[t].Entity);
                parents[t] = new int[inputs.Count];
                for (int k = 0; k < inputs.Count; k++)
                    parents[t][k] = position[inputs[k]];
            }
            return parents;
        }

        /// <summary>G′: ancestors of the output (or it) that descend from a variable (or are one). Nodes are in topological order.</summary>
        private static bool[] PrunedGraph(int[][] parents, int output, IEnumerable<int> variables)
        {
            var descendant = new bool[parents.Length];
            foreach (int v in variables)
                descendant[v] = true;
            for (int t = 0; t < parents.Length; t++)
            {
                foreach (int p in parents[t])
                    descendant[t] |= descendant[p];
            }
            var inPrunedGraph = new bool[parents.Length];
            var ancestor = new bool[parents.Length];
            ancestor[output] = true;
            for (int t = output; t >= 0; t--)
            {
                if (!ancestor[t])
                    continue;
                inPrunedGraph[t] = descendant[t];
                foreach (int p in parents[t])
                    ancestor[p] = true;
            }
            return inPrunedGraph;
        }
    }
}
