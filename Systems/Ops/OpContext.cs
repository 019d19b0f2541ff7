using System.Numerics;
using EcsNeural.Components;
using EcsNeural.Ecs.Jobs;
using EcsNeural.Systems.Graph;

namespace EcsNeural.Systems.Ops;

/// <summary>
/// What one operation sees when it runs for the instances [I0, I1) of one node: the arena, and the spans of its
/// operands' values and gradients. Because instances of a node are contiguous, each span covers all
/// <see cref="Instances"/> instances back to back; <see cref="Slice"/> picks one instance.
/// </summary>
internal readonly ref struct OpContext<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly T[] _data;
    private readonly ref readonly CompiledNode _node;
    private readonly int _i0;

    public OpContext(T[] data, ref readonly CompiledNode node, int i0, int i1, JobScheduler? rowScheduler)
    {
        _data = data;
        _node = ref node;
        _i0 = i0;
        Instances = i1 - i0;
        RowScheduler = rowScheduler;
    }

    /// <summary>The whole arena (heavy kernels address it by offset so they can hand work to parallel jobs).</summary>
    public T[] Data => _data;

    /// <summary>
    /// Set when this range is the graph's only block: heavy operations may then split their rows over parallel jobs.
    /// Null inside a population's instance blocks, which are the parallel units already.
    /// </summary>
    public JobScheduler? RowScheduler { get; }

    /// <summary>Number of instances in the range.</summary>
    public int Instances { get; }

    public double Scalar => _node.Node.Scalar;
    public int Pieces => _node.Node.Pieces;
    public NodeShape OutputShape => _node.Output.Shape;
    public NodeShape InputShape(int input) => _node.Input(input).Shape;
    public bool NeedsGradient(int input) => _node.Input(input).NeedsGradient;

    public Span<T> Output => Range(_node.Output.Value, _node.Output.Length);
    public Span<T> OutputGradient => Range(_node.Output.Gradient, _node.Output.Length);
    public Span<T> Input(int input) => Range(_node.Input(input).Value, _node.Input(input).Length);
    public Span<T> InputGradient(int input) => Range(_node.Input(input).Gradient, _node.Input(input).Length);

    /// <summary>Arena offset of instance <paramref name="instance"/> (relative to the range) of operand <paramref name="input"/>'s value.</summary>
    public int InputOffset(int input, int instance) => _node.Input(input).Value + (_i0 + instance) * _node.Input(input).Length;
    /// <summary>Arena offset of an instance of operand <paramref name="input"/>'s gradient.</summary>
    public int InputGradientOffset(int input, int instance) => _node.Input(input).Gradient + (_i0 + instance) * _node.Input(input).Length;
    /// <summary>Arena offset of an instance of the output value.</summary>
    public int OutputOffset(int instance) => _node.Output.Value + (_i0 + instance) * _node.Output.Length;
    /// <summary>Arena offset of an instance of the output gradient.</summary>
    public int OutputGradientOffset(int instance) => _node.Output.Gradient + (_i0 + instance) * _node.Output.Length;
    /// <summary>
    /// True when this node must overwrite operand <paramref name="input"/>'s gradient rather than add to it (it writes
    /// first and the gradient was not cleared). Only operations listed by <see cref="Operations.OverwritesFirstGradient"/> see true.
    /// </summary>
    public bool OverwriteGradient(int input) => _node.Input(input).OverwriteGradient;

    /// <summary>Instance <paramref name="instance"/> (relative to the range) of a span returned above.</summary>
    public static Span<T> Slice(Span<T> all, int instance, int length) => all.Slice(instance * length, length);

    private Span<T> Range(int offset, int length) => _data.AsSpan(offset + _i0 * length, Instances * length);
}
