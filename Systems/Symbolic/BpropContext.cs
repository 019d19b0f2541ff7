using EcsNeural.Components;
using EcsNeural.Ecs;
using EcsNeural.Systems.Graph;

namespace EcsNeural.Systems.Symbolic;

/// <summary>
/// What one operation's symbolic bprop sees: the node, its inputs and their shapes, the node G holding ∂z/∂(node), and
/// which inputs need a gradient; the bprop answers with <see cref="Give"/>, one gradient node per input, in input order.
/// </summary>
internal sealed class BpropContext(GraphBuilder builder)
{
    private readonly bool[] _needs = new bool[NodeInputs.MaxArity];
    private readonly List<(int Input, Entity Gradient)> _given = [];
    private NodeInputs _inputs;

    /// <summary>The builder every gradient node is made with.</summary>
    public GraphBuilder Nn { get; } = builder;
    /// <summary>The node being differentiated (its value is y in the rules).</summary>
    public Entity Node { get; private set; }
    /// <summary>Its operation and attributes.</summary>
    public Node Attributes { get; private set; }
    /// <summary>The node holding ∂z/∂(node), shaped like the node.</summary>
    public Entity G { get; private set; }

    /// <summary>Gradient nodes given so far, in the order they were given.</summary>
    public IReadOnlyList<(int Input, Entity Gradient)> Given => _given;

    public void Reset(Entity node, Node attributes, NodeInputs inputs, Entity gradient, ReadOnlySpan<bool> needs)
    {
        Node = node;
        Attributes = attributes;
        _inputs = inputs;
        G = gradient;
        for (int k = 0; k < _needs.Length; k++)
            _needs[k] = k < needs.Length && needs[k];
        _given.Clear();
    }

    /// <summary>Input <paramref name="k"/> of the node.</summary>
    public Entity Input(int k) => _inputs[k];
    /// <summary>The shape of input <paramref name="k"/>.</summary>
    public NodeShape Shape(int k) => Nn.Graph.ShapeOfUncompiled(_inputs[k]);
    /// <summary>The node's own shape.</summary>
    public NodeShape OutputShape => Nn.Graph.ShapeOfUncompiled(Node);
    /// <summary>Whether input <paramref name="k"/> lies between the variables and the output (G′), so needs a gradient.</summary>
    public bool Needs(int k) => _needs[k];

    /// <summary>Records <paramref name="gradient"/> as this node's contribution to ∂z/∂(input k).</summary>
    public void Give(int k, Entity gradient)
    {
        if (!_needs[k])
            throw new InvalidOperationException($"The bprop of {Attributes.Op} gave a gradient to input {k}, which needs none.");
        _given.Add((k, gradient));
    }

    /// <summary>1 − e, as (−e) + 1 so it rounds exactly like the numeric kernels' <c>1 − e</c>.</summary>
    public Entity OneMinus(Entity e) => Nn.AddScalar(Nn.Scale(e, -1), 1);

    /// <summary>−e (exact).</summary>
    public Entity Negate(Entity e) => Nn.Scale(e, -1);

    /// <summary>
    /// The adjoint of broadcasting: sums <paramref name="g"/> over the axes along which an operand of shape
    /// <paramref name="target"/> was broadcast (columns first, then rows, the numeric kernels' order).
    /// </summary>
    public Entity ReduceTo(Entity g, NodeShape target)
    {
        NodeShape shape = Nn.Graph.ShapeOfUncompiled(g);
        if (target.Cols != shape.Cols)
            g = Nn.SumCols(g);
        if (target.Rows != shape.Rows)
            g = Nn.SumRows(g);
        return g;
    }

    /// <summary>A [1×1] node broadcast to <paramref name="target"/> by exact copies.</summary>
    public Entity Expand(Entity scalar, NodeShape target)
    {
        if (target.Cols > 1)
            scalar = Nn.RepeatCols(scalar, target.Cols);
        if (target.Rows > 1)
            scalar = Nn.RepeatRows(scalar, target.Rows);
        return scalar;
    }
}
