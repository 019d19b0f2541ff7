using EcsNeural.Components;
using EcsNeural.Systems.Symbolic;

namespace EcsNeural.Systems.Ops;

/// <summary>The per-instance output shape of a node from its attributes and its inputs' shapes.</summary>
/// <remarks>Throws the engine's shape exception, naming what does not fit, when the inputs do not fit.</remarks>
public delegate NodeShape ShapeRule(in Node node, ReadOnlySpan<NodeShape> inputs);

/// <summary>
/// Everything the engine, the symbolic differentiator, the ONNX exporter and the builder know about one op, declared
/// in the op's own file (its <see cref="IOperation.Description"/>) beside its forward and backward passes. Every public member
/// without a default is <c>required</c>, so an op that forgets one does not compile; the registry checks the rest. An op
/// that is another with a different kernel says so with <c>with</c> (<see cref="DenseInputGradient"/>).
/// </summary>
public sealed record OpDescription
{
    /// <summary>The op.</summary>
    public required OpCode Op { get; init; }

    /// <summary>How many inputs the op takes (0 for the leaves Input and Parameter).</summary>
    public required int Arity { get; init; }

    /// <summary>The output shape rule (null for leaves, whose shapes are given).</summary>
    public required ShapeRule? Shape { get; init; }

    /// <summary>
    /// Whether the op overwrites an operand's gradient when it is that gradient's first writer (saving the clear and a
    /// read-modify-write of every parameter gradient); every other op adds into cleared gradients.
    /// </summary>
    public bool OverwritesFirstGradient { get; init; }

    /// <summary>
    /// The symbolic bprop: emits, with graph-building calls, the gradient nodes for the inputs that need them (see
    /// <see cref="SymbolicGradient"/>). Null for leaves only (the registry refuses an op without one); constants and
    /// masks emit nothing.
    /// </summary>
    internal Action<BpropContext>? Bprop { get; init; }

    /// <summary>Whether the op's gradient is made of ops that are all differentiable (no piecewise-constant mask), so a Hessian exists.</summary>
    public required bool TwiceDifferentiable { get; init; }

    /// <summary>
    /// Whether the op is element-wise: one input of the output's shape, each output element a function of the input element
    /// at the same place, each input-gradient element of the elements at that place (its span accessors only, no scratch).
    /// A one-block graph then runs a big pass of it in element chunks on the row scheduler (same bits, any worker count).
    /// </summary>
    public bool ElementWise { get; init; }

    /// <summary>
    /// Whether the op's passes also run on interleaved operands (<see cref="Graph.InstanceLayout.Interleaved"/>: instances in
    /// groups of <see cref="OpContext{T}.Lanes"/>, element by element). Element-wise ops and leaves do, whatever the layout;
    /// an op that mixes elements of an instance says so here and reads <see cref="OpContext{T}.Lanes"/>.
    /// </summary>
    public bool Interleaves { get; init; }

    /// <summary>
    /// Whether the op's output is finite whenever its inputs are (a bounded function such as tanh, or one that never grows
    /// a value, such as relu). A checked forward pass has already seen the inputs, so it skips scanning such an output.
    /// </summary>
    public bool FiniteForFiniteInputs { get; init; }

    /// <summary>
    /// Bit k set: the op is piecewise constant in input k (derivative 0 almost everywhere, undefined at the jumps), like
    /// the step and sign masks and the selector of maxout's routing.
    /// </summary>
    public int PiecewiseConstantInputs { get; init; }

    /// <summary>How the op treats rows of samples (whether an ONNX export of it can take any batch).</summary>
    public required RowRule Rows { get; init; }

    /// <summary>The ONNX nodes computing it, or null when it has none (losses and gradient helpers are not exported).</summary>
    public required OnnxMapping? Onnx { get; init; }

    /// <summary>How the op serves as a builder activation, or null when it is not one.</summary>
    public required ActivationUnit? Activation { get; init; }

    /// <summary>An example node of the op on random sides, which the tests check (null for leaves only).</summary>
    public required OpSampler? Sample { get; init; }

    /// <summary>Whether the op is piecewise constant in input <paramref name="input"/>.</summary>
    public bool IsPiecewiseConstantIn(int input) => (PiecewiseConstantInputs & (1 << input)) != 0;

    /// <inheritdoc/>
    public override string ToString() => Op.ToString();
}
