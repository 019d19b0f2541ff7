using System.Numerics;
using EcsNeural.Components;
using EcsNeural.Systems.Graph;

namespace EcsNeural.Systems.Ops;

/// <summary>
/// What one operation sees when it runs for the instances [I0, I1) of one node: the arena, and the spans of its
/// operands' values and gradients. Because instances of a node are contiguous, each span covers all
/// <see cref="Instances"/> instances back to back; <see cref="Slice"/> picks one instance.
/// </summary>
internal readonly ref struct OpContext<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly Span<T> _data;
    private readonly ref readonly CompiledNode _node;
    private readonly int _i0;

    public OpContext(Span<T> data, ref readonly CompiledNode node, int i0, int i1)
    {
        _data = data;
        _node = ref node;
        _i0 = i0;
        Instances = i1 - i0;
    }

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

    /// <summary>Instance <paramref name="instance"/> (relative to the range) of a span returned above.</summary>
    public static Span<T> Slice(Span<T> all, int instance, int length) => all.Slice(instance * length, length);

    private Span<T> Range(int offset, int length) => _data.Slice(offset + _i0 * length, Instances * length);
}
