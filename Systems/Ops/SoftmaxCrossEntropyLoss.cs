using System.Numerics;
using System.Numerics.Tensors;
using EcsNeural.Components;
using EcsNeural.Systems.Symbolic;

namespace EcsNeural.Systems.Ops;

/// <summary>
/// Softmax output unit with cross-entropy, computed through log-softmax (z − max z) so huge logits stay finite:
/// per row −Σ_j y_j·logsoftmax(z)_j, L the mean over rows. dz += (ŷ·Σy − y)/rows·dL (ŷ − y for a one-hot or
/// probability target), dy −= logsoftmax(z)/rows·dL.
/// </summary>
internal readonly struct SoftmaxCrossEntropyLoss : IOperation
{
    /// <inheritdoc/>
    public static OpDescription Description { get; } = new()
    {
        Op = OpCode.SoftmaxCrossEntropyLoss,
        Arity = 2,
        Shape = static (in Node node, ReadOnlySpan<NodeShape> inputs) => ShapeRules.Loss(inputs),
        Bprop = SoftmaxAndLossBprops.SoftmaxCrossEntropyLoss,
        TwiceDifferentiable = true,
        Rows = RowRule.Mixes,
        Onnx = null,
        Sample = static (r, c, k) => new(new Node(OpCode.SoftmaxCrossEntropyLoss), [new(r, c), new(r, c, SampleDraw.Positive)]),
        Activation = null,
    };

    public static void Forward<T>(in OpContext<T> c) where T : unmanaged, IFloatingPointIeee754<T>
    {
        NodeShape s = c.InputShape(0);
        Span<T> z = c.Input(0), y = c.Input(1), loss = c.Output;
        for (int i = 0; i < c.Instances; i++)
        {
            Span<T> zi = OpContext<T>.Slice(z, i, s.Length), yi = OpContext<T>.Slice(y, i, s.Length);
            T sum = T.Zero;
            for (int r = 0; r < s.Rows; r++)
            {
                Span<T> zRow = zi.Slice(r * s.Cols, s.Cols), yRow = yi.Slice(r * s.Cols, s.Cols);
                T lse = LogSumExp.Of<T>(zRow);
                for (int j = 0; j < s.Cols; j++)
                    sum -= yRow[j] * (zRow[j] - lse);
            }
            loss[i] = sum / T.CreateTruncating(s.Rows);
        }
    }

    public static void Backward<T>(in OpContext<T> c) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var term = new Term<T>(c, c.InputShape(0));
        VectorisedExp.ForEach<T, Term<T>>(term.Length, ref term);
    }

    /// <summary>
    /// Per element dz += s·(e^logp·Σ_row y − y), dy −= s·logp, s = dL/rows: e^logp from the graph's vectorised Exp and
    /// Σ_row y summed like SumCols, so the symbolic bprop matches bit for bit.
    /// </summary>
    private struct Term<T> : IExpTerm<T> where T : unmanaged, IFloatingPointIeee754<T>
    {
        private readonly ArraySegment<T> _z, _y, _dz, _dy, _dLoss;
        private readonly NodeShape _shape;
        private int _row = -1;
        private T _lse, _targetMass;

        public Term(in OpContext<T> c, NodeShape shape)
        {
            _shape = shape;
            _z = c.InputSegment(0);
            _y = c.InputSegment(1);
            _dLoss = c.OutputGradientSegment;
            _dz = c.NeedsGradient(0) ? c.InputGradientSegment(0) : default;
            _dy = c.NeedsGradient(1) ? c.InputGradientSegment(1) : default;
        }

        public readonly int Length => _z.Count;

        public T Exponent(int index) => _z[index] - RowOf(index);

        public void Use(int index, T exp)
        {
            T logProbability = _z[index] - RowOf(index);
            T scale = _dLoss[index / _shape.Length] / T.CreateTruncating(_shape.Rows);
            if (_dz.Count > 0)
                _dz[index] += scale * (exp * _targetMass - _y[index]);
            if (_dy.Count > 0)
                _dy[index] -= scale * logProbability;
        }

        /// <summary>Caches the log-normaliser and target mass of the element's row; returns the former.</summary>
        private T RowOf(int index)
        {
            int row = index / _shape.Cols;
            if (row != _row)
            {
                _lse = LogSumExp.Of<T>(_z.AsSpan(row * _shape.Cols, _shape.Cols));
                _targetMass = TensorPrimitives.Sum<T>(_y.AsSpan(row * _shape.Cols, _shape.Cols));
                _row = row;
            }
            return _lse;
        }
    }
}
