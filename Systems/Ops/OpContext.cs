using System.Diagnostics.CodeAnalysis;
using System.Numerics;
using EcsNeural.Components;
using EcsNeural.Ecs.Jobs;
using EcsNeural.Systems.Graph;
using EcsNeural.Systems.Kernels;

namespace EcsNeural.Systems.Ops;

/// <summary>
/// What one operation sees when it runs for the instances [I0, I1) of one node: the spans of its operands' values and
/// gradients. Because instances of a node are contiguous, each span covers all <see cref="Instances"/> instances back to
/// back; <see cref="Slice"/> picks one instance. Values live in the arena; gradients in the arena too, or in a scratch
/// holding this block only (<see cref="GradientMode.BlockLocal"/>), whose instance 0 is instance I0.
/// </summary>
internal readonly ref struct OpContext<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly T[] _data;
    private readonly T[] _gradients;
    private readonly ref readonly CompiledNode _node;
    private readonly int _i0;
    private readonly int _gradientI0;
    private readonly int _elementStart, _elementCount;   // a window on an element-wise op's operands (count −1: all)

    /// <param name="data">The arena (values).</param>
    /// <param name="gradients">The array holding the gradients: the arena, or a block's scratch.</param>
    /// <param name="node">The node to run.</param>
    /// <param name="i0">First instance of the range.</param>
    /// <param name="i1">End of the range (exclusive).</param>
    /// <param name="gradientOrigin">The instance at the start of <paramref name="gradients"/>' regions (0 for the arena).</param>
    /// <param name="rowScheduler">See <see cref="RowScheduler"/>.</param>
    /// <param name="numerics">See <see cref="Numerics"/>.</param>
    /// <param name="rowScratch">See <see cref="RowScratch"/> (given with <paramref name="rowScheduler"/>).</param>
    /// <param name="elementStart">With <paramref name="elementCount"/> ≥ 0: every operand's value and gradient span narrowed to
    /// elements [start, start + count) of the range's instances back to back — an <see cref="OpDescription.ElementWise"/>
    /// op's pass run in element chunks (its operands all have the output's shape).</param>
    /// <param name="elementCount">The window's length, or −1 for whole spans.</param>
    /// <param name="lanes">See <see cref="Lanes"/>.</param>
    /// <param name="learningRate">See <see cref="LearningRate"/>.</param>
    /// <param name="updatesParameters">See <see cref="UpdatesParameters"/>.</param>
    public OpContext(T[] data, T[] gradients, ref readonly CompiledNode node, int i0, int i1, int gradientOrigin, JobScheduler? rowScheduler,
        NumericsMode numerics, RowScratch<T>? rowScratch, int lanes = 1, T learningRate = default, bool updatesParameters = false,
        int elementStart = 0, int elementCount = -1)
    {
        Lanes = lanes;
        LearningRate = learningRate;
        UpdatesParameters = updatesParameters;
        RowScratch = rowScratch;
        Numerics = numerics;
        _data = data;
        _gradients = gradients;
        _node = ref node;
        _i0 = i0;
        _gradientI0 = i0 - gradientOrigin;
        Instances = i1 - i0;
        RowScheduler = rowScheduler;
        _elementStart = elementStart;
        _elementCount = elementCount;
    }


    /// <summary>
    /// Set when this range is the graph's only block: heavy operations may then split their rows over parallel jobs.
    /// Null inside a population's instance blocks, which are the parallel units already.
    /// </summary>
    public JobScheduler? RowScheduler { get; }

    /// <summary>The graph's scratch for work its row jobs share; set with <see cref="RowScheduler"/>.</summary>
    public RowScratch<T>? RowScratch { get; }

    /// <summary>The graph's numerics, for the kernels whose rounding it decides (GEMMs and dense layers).</summary>
    public NumericsMode Numerics { get; }

    /// <summary>
    /// 1: each operand's instances are contiguous, one after another. More: they are interleaved in groups of this many
    /// (<c>[group][element][lane]</c>, <see cref="Graph.InstanceLayout.Interleaved"/>), the range a whole number of groups;
    /// only ops whose description says <see cref="OpDescription.Interleaves"/> see more than 1, and for them
    /// <see cref="Slice"/> and the per-instance addresses do not apply.
    /// </summary>
    public int Lanes { get; }

    /// <summary>
    /// True when this backward pass of a dense layer applies the SGD step w ← w − <see cref="LearningRate"/>·∂w to its weights
    /// and bias itself, instead of writing their gradients (which nothing else reads; see <see cref="CompiledNode.MayUpdate"/>).
    /// </summary>
    public bool UpdatesParameters { get; }

    /// <summary>The SGD learning rate, when <see cref="UpdatesParameters"/>.</summary>
    public T LearningRate { get; }

    /// <summary>Number of instances in the range.</summary>
    public int Instances { get; }

    public double Scalar => _node.Node.Scalar;
    public int Pieces => _node.Node.Pieces;
    public NodeShape OutputShape => _node.Output.Shape;
    public NodeShape InputShape(int input) => _node.Input(input).Shape;
    public bool NeedsGradient(int input) => _node.Input(input).NeedsGradient;

    public Span<T> Output => Range(_node.Output.Value, _node.Output.Length);
    public Span<T> OutputGradient => GradientRange(_node.Output.Gradient, _node.Output.Length);
    public Span<T> Input(int input) => Range(_node.Input(input).Value, _node.Input(input).Length);
    public Span<T> InputGradient(int input) => GradientRange(InputGradientOffset(input), _node.Input(input).Length);

    // Heavy kernels address tensors by array and offset so they can hand work to parallel jobs.
    /// <summary>Instance <paramref name="instance"/> (relative to the range) of operand <paramref name="input"/>'s value.</summary>
    public TensorAddress<T> InputAt(int input, int instance) => new(_data, _node.Input(input).Value + (_i0 + instance) * _node.Input(input).Length);
    /// <summary>An instance of operand <paramref name="input"/>'s gradient.</summary>
    public TensorAddress<T> InputGradientAt(int input, int instance)
        => new(_gradients, InputGradientOffset(input) + (_gradientI0 + instance) * _node.Input(input).Length);
    /// <summary>An instance of the output value.</summary>
    public TensorAddress<T> OutputAt(int instance) => new(_data, _node.Output.Value + (_i0 + instance) * _node.Output.Length);
    /// <summary>An instance of the output gradient.</summary>
    public TensorAddress<T> OutputGradientAt(int instance) => new(_gradients, _node.Output.Gradient + (_gradientI0 + instance) * _node.Output.Length);
    /// <summary>
    /// True when this node must overwrite operand <paramref name="input"/>'s gradient rather than add to it (it writes
    /// first and the gradient was not cleared). Only operations listed by <see cref="Operations.OverwritesFirstGradient"/> see true.
    /// </summary>
    public bool OverwriteGradient(int input) => _node.Input(input).OverwriteGradient;

    /// <summary>Instance <paramref name="instance"/> (relative to the range) of a span returned above.</summary>
    public static Span<T> Slice(Span<T> all, int instance, int length) => all.Slice(instance * length, length);

    /// <summary>
    /// Where operand <paramref name="input"/>'s gradient starts. Only operands in G′ have a gradient slot; an operation that
    /// asks for another's (a missing <see cref="NeedsGradient"/> check) would otherwise write into a neighbouring region.
    /// </summary>
    private int InputGradientOffset(int input)
    {
        int offset = _node.Input(input).Gradient;
        if (offset < 0)
            ThrowNoGradient(_node.Op, input);
        return offset;
    }

    [DoesNotReturn]
    private static void ThrowNoGradient(OpCode op, int input)
        => throw new InvalidOperationException($"The backward pass of {op} asked for input {input}'s gradient, which has no slot (the input is outside G′).");

    private Span<T> Range(int offset, int length) => Segment(offset, length);
    private Span<T> GradientRange(int offset, int length) => GradientSegment(offset, length);
    private ArraySegment<T> Segment(int offset, int length) => Window(new(_data, offset + _i0 * length, Instances * length));
    private ArraySegment<T> GradientSegment(int offset, int length) => Window(new(_gradients, offset + _gradientI0 * length, Instances * length));
    private ArraySegment<T> Window(ArraySegment<T> all) => _elementCount < 0 ? all : all.Slice(_elementStart, _elementCount);
}
