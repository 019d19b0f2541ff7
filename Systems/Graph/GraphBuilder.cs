using EcsNeural.Components;
using EcsNeural.Ecs;

namespace EcsNeural.Systems.Graph;

/// <summary>
/// Creates the node entities of a <see cref="ComputeGraph"/>, one method per operation, each returning the new node.
/// Shapes are inferred and checked as nodes are made (a mismatch throws <see cref="GraphValidationException"/> and
/// creates nothing); shapes are per instance: activations [batch × features], parameters their own shape.
/// </summary>
public sealed class GraphBuilder
{
    /// <summary>A builder adding nodes to <paramref name="graph"/>.</summary>
    public GraphBuilder(ComputeGraph graph)
    {
        ArgumentNullException.ThrowIfNull(graph);
        Graph = graph;
    }

    /// <summary>The graph being built.</summary>
    public ComputeGraph Graph { get; }

    private World World => Graph.World;

    /// <summary>Data the host writes each step: features or targets, [batch × features]. Batch and features must be ≥ 1.</summary>
    public Entity Input(int batch, int features)
    {
        RequirePositive(batch, nameof(batch), "the batch must hold at least one sample");
        RequirePositive(features, nameof(features), "an input needs at least one feature");
        return Leaf(new Node(OpCode.Input), new NodeShape(batch, features));
    }

    /// <summary>A trainable tensor [rows × cols], initialised per instance by <paramref name="init"/>.</summary>
    public Entity Parameter(int rows, int cols, ParameterInit init)
    {
        RequirePositive(rows, nameof(rows), "a parameter needs at least one row");
        RequirePositive(cols, nameof(cols), "a parameter needs at least one column");
        Entity e = Leaf(new Node(OpCode.Parameter), new NodeShape(rows, cols));
        World.Add(e, new Trainable());
        World.Add(e, init);
        return e;
    }

    /// <summary>
    /// A constant tensor [rows × cols]: a Parameter node the optimizer leaves alone, initialised by <paramref name="init"/>,
    /// for state the host sets between steps (normalisation statistics, say). Checkpoints save it with the parameters.
    /// </summary>
    public Entity Constant(int rows, int cols, ParameterInit init)
    {
        RequirePositive(rows, nameof(rows), "a constant needs at least one row");
        RequirePositive(cols, nameof(cols), "a constant needs at least one column");
        Entity e = Leaf(new Node(OpCode.Parameter), new NodeShape(rows, cols));
        World.Add(e, init);
        return e;
    }

    /// <summary>
    /// A dense layer on <paramref name="x"/>: creates W [in × units] (default Xavier) and b [1 × units] (default 0) and
    /// the affine node x·W + b. ReLU layers may start their bias at 0.1, as the lecture advises.
    /// </summary>
    public DenseLayer DenseLayer(Entity x, int units, ParameterInit? weights = null, ParameterInit? bias = null)
    {
        int inputs = Graph.ShapeOfUncompiled(x).Cols;
        Entity w = Parameter(inputs, units, weights ?? ParameterInit.Xavier);
        Entity b = Parameter(1, units, bias ?? ParameterInit.Zeros);
        return new DenseLayer(Dense(x, w, b), w, b);
    }

    /// <summary>
    /// Changes the batch (rows) of input nodes together — an input and its target, say — and recompiles once; parameters
    /// keep their values. The change is validated as a whole: when an argument is wrong or the graph does not compile
    /// with the new batch (a shape mismatch, a size past <see cref="GraphLimits"/>), it throws and every node keeps its
    /// shape and every tensor its values.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The batch is below 1.</exception>
    /// <exception cref="ArgumentException">A node is not an Input of this graph, or is listed twice.</exception>
    /// <exception cref="GraphValidationException">The graph does not compile with the new batch; nothing changed.</exception>
    public void ResizeBatch(int batch, params ReadOnlySpan<Entity> inputs)
    {
        RequirePositive(batch, nameof(batch), "the batch must hold at least one sample");
        var old = new NodeShape[inputs.Length];
        for (int k = 0; k < inputs.Length; k++)
        {
            old[k] = Graph.ShapeOfUncompiled(inputs[k]);
            if (World.Get<Node>(inputs[k]).Op != OpCode.Input)
                throw new ArgumentException($"Node {inputs[k]} is a {World.Get<Node>(inputs[k]).Op}, not an Input.", nameof(inputs));
            if (inputs[..k].Contains(inputs[k]))
                throw new ArgumentException($"Node {inputs[k]} is listed twice.", nameof(inputs));
            GraphLimits.RequireNodeFits(inputs[k], OpCode.Input, old[k] with { Rows = batch });
        }
        Graph.Complete();
        bool wasCompiled = Graph.IsCompiled;
        for (int k = 0; k < inputs.Length; k++)
            World.Set(inputs[k], old[k] with { Rows = batch });
        Graph.Invalidate();
        try
        {
            // Shapes downstream depend on the batch; re-infer them now so the builder's view stays right.
            Graph.Compile();
        }
        catch
        {
            for (int k = 0; k < inputs.Length; k++)
                World.Set(inputs[k], old[k]);
            Graph.Invalidate();
            if (wasCompiled)
                Graph.Compile();   // re-infers the shapes the failed compile overwrote; the same layout keeps every value
            throw;
        }
    }

    /// <summary>Affine y = x·W + b: x [batch×in], W [in×out], b [1×out].</summary>
    public Entity Dense(Entity x, Entity weights, Entity bias) => Op(new Node(OpCode.Dense), x, weights, bias);
    /// <summary>Matrix product A·B.</summary>
    public Entity MatMul(Entity a, Entity b) => Op(new Node(OpCode.MatMul), a, b);
    /// <summary>a + b, b broadcast as a row (bias), a column or one element.</summary>
    public Entity Add(Entity a, Entity b) => Op(new Node(OpCode.Add), a, b);
    /// <summary>a − b, b broadcast like <see cref="Add"/>.</summary>
    public Entity Sub(Entity a, Entity b) => Op(new Node(OpCode.Sub), a, b);
    /// <summary>Element-wise a ⊙ b, b broadcast like <see cref="Add"/>.</summary>
    public Entity Mul(Entity a, Entity b) => Op(new Node(OpCode.Mul), a, b);
    /// <summary>c·x for a constant c.</summary>
    public Entity Scale(Entity x, double c) => Op(new Node(OpCode.Scale, c), x);
    /// <summary>x + c for a constant c.</summary>
    public Entity AddScalar(Entity x, double c) => Op(new Node(OpCode.AddScalar, c), x);
    /// <summary>eˣ.</summary>
    public Entity Exp(Entity x) => Op(new Node(OpCode.Exp), x);
    /// <summary>ln x.</summary>
    public Entity Log(Entity x) => Op(new Node(OpCode.Log), x);
    /// <summary>sin x (also the sine hidden unit).</summary>
    public Entity Sin(Entity x) => Op(new Node(OpCode.Sin), x);
    /// <summary>cos x.</summary>
    public Entity Cos(Entity x) => Op(new Node(OpCode.Cos), x);
    /// <summary>x².</summary>
    public Entity Square(Entity x) => Op(new Node(OpCode.Square), x);
    /// <summary>Sum of all elements (per instance), [1×1].</summary>
    public Entity Sum(Entity x) => Op(new Node(OpCode.Sum), x);
    /// <summary>Mean of all elements (per instance), [1×1].</summary>
    public Entity Mean(Entity x) => Op(new Node(OpCode.Mean), x);
    /// <summary>ReLU max(0, x).</summary>
    public Entity Relu(Entity x) => Op(new Node(OpCode.Relu), x);
    /// <summary>Leaky ReLU with fixed slope α for x ≤ 0.</summary>
    public Entity LeakyRelu(Entity x, double alpha = 0.01) => Op(new Node(OpCode.LeakyRelu, alpha), x);
    /// <summary>PReLU with learned slopes <paramref name="slopes"/> [1 × features] (a parameter, e.g. initialised to 0.25).</summary>
    public Entity PRelu(Entity x, Entity slopes) => Op(new Node(OpCode.PRelu), x, slopes);
    /// <summary>Absolute-value rectification |x|.</summary>
    public Entity AbsRelu(Entity x) => Op(new Node(OpCode.AbsRelu), x);
    /// <summary>Maxout with <paramref name="pieces"/> pieces per unit: [batch × units·k] → [batch × units].</summary>
    public Entity Maxout(Entity x, int pieces) => Op(new Node(OpCode.Maxout, 0, pieces), x);
    /// <summary>Logistic sigmoid.</summary>
    public Entity Sigmoid(Entity x) => Op(new Node(OpCode.Sigmoid), x);
    /// <summary>tanh.</summary>
    public Entity Tanh(Entity x) => Op(new Node(OpCode.Tanh), x);
    /// <summary>Softplus log(1 + eˣ).</summary>
    public Entity Softplus(Entity x) => Op(new Node(OpCode.Softplus), x);
    /// <summary>Hard tanh max(−1, min(1, x)).</summary>
    public Entity HardTanh(Entity x) => Op(new Node(OpCode.HardTanh), x);
    /// <summary>Gaussian radial basis units exp(−‖W:,i − x‖²/σ²) with centres <paramref name="centres"/> [in × units].</summary>
    public Entity RadialBasis(Entity x, Entity centres, double sigma) => Op(new Node(OpCode.RadialBasis, sigma), x, centres);
    /// <summary>Row-wise softmax.</summary>
    public Entity Softmax(Entity x) => Op(new Node(OpCode.Softmax), x);
    /// <summary>Row-wise log-softmax.</summary>
    public Entity LogSoftmax(Entity x) => Op(new Node(OpCode.LogSoftmax), x);
    /// <summary>Mean squared error of a linear output against a target of the same shape.</summary>
    public Entity MseLoss(Entity prediction, Entity target) => Op(new Node(OpCode.MseLoss), prediction, target);
    /// <summary>Binary cross-entropy of sigmoid(logits) against 0/1 targets, in the softplus form.</summary>
    public Entity SigmoidCrossEntropyLoss(Entity logits, Entity target) => Op(new Node(OpCode.SigmoidCrossEntropyLoss), logits, target);
    /// <summary>Cross-entropy of softmax(logits) against one-hot (or probability) rows, through log-softmax.</summary>
    public Entity SoftmaxCrossEntropyLoss(Entity logits, Entity target) => Op(new Node(OpCode.SoftmaxCrossEntropyLoss), logits, target);
    /// <summary>Negative log-likelihood of log-probabilities against one-hot rows.</summary>
    public Entity NllLoss(Entity logProbabilities, Entity target) => Op(new Node(OpCode.NllLoss), logProbabilities, target);

    // Operations the symbolic gradient (Systems/Symbolic) writes backward passes with; usable in any graph.

    /// <summary>Element-wise a / b of equally shaped operands.</summary>
    public Entity Div(Entity a, Entity b) => Op(new Node(OpCode.Div), a, b);
    /// <summary>x / c for a finite, non-zero constant c.</summary>
    public Entity DivScalar(Entity x, double c) => Op(new Node(OpCode.DivScalar, c), x);
    /// <summary>Sum over the rows: [rows×cols] → [1×cols].</summary>
    public Entity SumRows(Entity x) => Op(new Node(OpCode.SumRows), x);
    /// <summary>Sum over the columns: [rows×cols] → [rows×1].</summary>
    public Entity SumCols(Entity x) => Op(new Node(OpCode.SumCols), x);
    /// <summary>A [1×cols] row repeated <paramref name="rows"/> times: → [rows×cols].</summary>
    public Entity RepeatRows(Entity row, int rows) => Op(new Node(OpCode.RepeatRows, 0, rows), row);
    /// <summary>A [rows×1] column repeated <paramref name="cols"/> times: → [rows×cols].</summary>
    public Entity RepeatCols(Entity column, int cols) => Op(new Node(OpCode.RepeatCols, 0, cols), column);
    /// <summary>Aᵀ·B: A [k×m], B [k×n] → [m×n].</summary>
    public Entity MatMulTransposeA(Entity a, Entity b) => Op(new Node(OpCode.MatMulTransposeA), a, b);
    /// <summary>A·Bᵀ: A [m×k], B [n×k] → [m×n].</summary>
    public Entity MatMulTransposeB(Entity a, Entity b) => Op(new Node(OpCode.MatMulTransposeB), a, b);
    /// <summary>Dense's input gradient dy·Wᵀ: dy [batch×out], W [in×out] → [batch×in], rounded exactly as Dense's backward pass rounds it.</summary>
    public Entity DenseInputGradient(Entity dy, Entity w) => Op(new Node(OpCode.DenseInputGradient), dy, w);
    /// <summary>Dense's weight gradient xᵀ·dy: x [batch×in], dy [batch×out] → [in×out], rounded exactly as Dense's backward pass rounds it.</summary>
    public Entity DenseWeightGradient(Entity x, Entity dy) => Op(new Node(OpCode.DenseWeightGradient), x, dy);
    /// <summary>
    /// The radial basis contraction <c>±Σ_k a·(x_bj − W_ju)</c> over the index <paramref name="output"/> lacks:
    /// <paramref name="a"/> indexed as <paramref name="aOperand"/>, x [batch×in], W [in×units] → shaped as <paramref name="output"/>.
    /// </summary>
    public Entity RadialBasisDifference(Entity a, RadialBasisOperand aOperand, Entity x, Entity centres, RadialBasisOperand output, bool negate = false)
        => Op(new Node(OpCode.RadialBasisDifference, negate ? -1 : 1, new RadialBasisIndexing(output, aOperand).Pack()), a, x, centres);
    /// <summary>
    /// The radial basis contraction <c>±Σ_k a·c</c> over the index <paramref name="output"/> lacks, <paramref name="a"/> and
    /// <paramref name="c"/> indexed as their operands; <paramref name="missingExtent"/> sizes the index neither has (else 0).
    /// </summary>
    public Entity RadialBasisProduct(Entity a, RadialBasisOperand aOperand, Entity c, RadialBasisOperand cOperand, RadialBasisOperand output,
        bool negate = false, int missingExtent = 0)
        => Op(new Node(OpCode.RadialBasisProduct, negate ? -1 : 1, new RadialBasisIndexing(output, aOperand, cOperand, missingExtent).Pack()), a, c);
    /// <summary>Step mask x &gt; 0 ? 1 : <paramref name="below"/> (ReLU's derivative for 0, leaky ReLU's for α).</summary>
    public Entity Step(Entity x, double below = 0) => Op(new Node(OpCode.Step, below), x);
    /// <summary>Element-wise sign −1, 0 or 1.</summary>
    public Entity Sign(Entity x) => Op(new Node(OpCode.Sign), x);
    /// <summary>Maxout's routing: <paramref name="values"/> [batch×units] placed at the first maximal piece of each group of <paramref name="selector"/> [batch×units·k].</summary>
    public Entity MaxoutScatter(Entity values, Entity selector, int pieces) => Op(new Node(OpCode.MaxoutScatter, 0, pieces), values, selector);
    /// <summary>Maxout's selection: the element of <paramref name="values"/> at the first maximal piece of each group of the equally shaped <paramref name="selector"/>.</summary>
    public Entity MaxoutGather(Entity values, Entity selector, int pieces) => Op(new Node(OpCode.MaxoutGather, 0, pieces), values, selector);
    /// <summary>The constant <paramref name="value"/> in the shape of <paramref name="like"/>.</summary>
    public Entity Fill(Entity like, double value) => Op(new Node(OpCode.Fill, value), like);
    /// <summary>The constant basis tensor with 1 at flat element <paramref name="index"/>, in the shape of <paramref name="like"/>.</summary>
    public Entity OneHot(Entity like, int index) => Op(new Node(OpCode.OneHot, 0, index), like);
    /// <summary>Inner product Σ a ⊙ b of two equally shaped nodes, [1×1].</summary>
    public Entity Dot(Entity a, Entity b) => Op(new Node(OpCode.Dot), a, b);

    /// <summary>
    /// Any operation node: <paramref name="node"/> with <paramref name="inputs"/>. Checks that the inputs belong to this
    /// graph and that their shapes fit; on failure throws and creates nothing.
    /// </summary>
    public Entity Op(Node node, params ReadOnlySpan<Entity> inputs)
    {
        Span<NodeShape> shapes = stackalloc NodeShape[NodeInputs.MaxArity];
        if (inputs.Length > NodeInputs.MaxArity)
            throw new ArgumentException($"{node.Op} was given {inputs.Length} inputs; a node takes at most {NodeInputs.MaxArity}.", nameof(inputs));
        for (int k = 0; k < inputs.Length; k++)
            shapes[k] = Graph.ShapeOfUncompiled(inputs[k]);
        Entity e = World.Create();
        try
        {
            int arity = Ops.Operations.Arity(node.Op);
            if (inputs.Length != arity)
                throw new GraphValidationException(e, node.Op, $"takes {arity} inputs but was given {inputs.Length}");
            NodeShape shape = GraphCompiler.InferShape(e, node, shapes[..inputs.Length]);
            World.Add(e, node);
            World.Add(e, NodeInputs.Of(inputs));
            World.Add(e, shape);
            World.Add(e, Graph.NextMember());
        }
        catch
        {
            World.Destroy(e);
            throw;
        }
        Graph.Invalidate();
        return e;
    }

    private Entity Leaf(Node node, NodeShape shape)
    {
        Graph.Complete();
        Entity e = World.Create();
        try
        {
            GraphLimits.RequireNodeFits(e, node.Op, shape);
        }
        catch
        {
            World.Destroy(e);
            throw;
        }
        World.Add(e, node);
        World.Add(e, new NodeInputs());
        World.Add(e, shape);
        World.Add(e, Graph.NextMember());
        Graph.Invalidate();
        return e;
    }

    private static void RequirePositive(int value, string name, string why)
    {
        if (value < 1)
            throw new ArgumentOutOfRangeException(name, value, $"{name} = {value}: {why}.");
    }
}
