using EcsNeural.Components;
using EcsNeural.Systems.Symbolic;
using System.Numerics;
using System.Numerics.Tensors;

namespace EcsNeural.Systems.Ops;

/// <summary>Row-wise log-softmax y = z − max z − log Σ e^(z − max z); dz += dy − softmax(z)·Σdy.</summary>
internal readonly struct LogSoftmax : IOperation
{
    /// <inheritdoc/>
    public static OpDescription Description { get; } = new()
    {
        Op = OpCode.LogSoftmax,
        Arity = 1,
        Shape = static (in Node node, ReadOnlySpan<NodeShape> inputs) => ShapeRules.SameAsInput(inputs),
        Bprop = SoftmaxAndLossBprops.LogSoftmax,
        TwiceDifferentiable = true,
        Rows = RowRule.Independent,
        Onnx = static (onnx, node, x, shapes, y) => onnx.Node("LogSoftmax", y, x, OnnxAttribute.Of("axis", 1L)),
        Sample = static (r, c, k) => new(new Node(OpCode.LogSoftmax), [new(r, c)]),
        Activation = new ActivationUnit(Rectifier: false),
    };

    public static void Forward<T>(in OpContext<T> c) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int cols = c.InputShape(0).Cols;
        Span<T> z = c.Input(0), y = c.Output;
        for (int r = 0; r < y.Length / cols; r++)
        {
            Span<T> zRow = z.Slice(r * cols, cols);
            TensorPrimitives.Subtract<T>(zRow, LogSumExp.Of<T>(zRow), y.Slice(r * cols, cols));
        }
    }

    public static void Backward<T>(in OpContext<T> c) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var term = new Term<T>(c.OutputSegment, c.OutputGradientSegment, c.InputGradientSegment(0), c.InputShape(0).Cols);
        VectorisedExp.ForEach<T, Term<T>>(term.Length, ref term);
    }

    /// <summary>dz += dy − e^y·Σ_row dy, with e^y the graph's vectorised Exp so the symbolic bprop matches bit for bit.</summary>
    private struct Term<T>(ArraySegment<T> y, ArraySegment<T> dy, ArraySegment<T> dz, int cols) : IExpTerm<T> where T : unmanaged, IFloatingPointIeee754<T>
    {
        private readonly ArraySegment<T> _y = y, _dy = dy, _dz = dz;
        private int _row = -1;
        private T _total;

        public readonly int Length => _y.Count;

        public readonly T Exponent(int index) => _y[index];

        public void Use(int index, T exp)
        {
            int row = index / cols;
            if (row != _row)
            {
                _total = TensorPrimitives.Sum<T>(_dy.AsSpan(row * cols, cols));
                _row = row;
            }
            _dz[index] += _dy[index] - exp * _total;
        }
    }
}
