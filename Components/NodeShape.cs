namespace EcsNeural.Components;

/// <summary>
/// The shape of one instance of a node's value: rows × columns, row-major. Activations are [batch × features];
/// parameters have their own shape (a weight matrix is [in × out]); scalars (losses, sums) are [1 × 1].
/// Every graph holds this shape once per instance.
/// </summary>
/// <param name="Rows">Rows (the batch for activations).</param>
/// <param name="Cols">Columns (the features for activations).</param>
public readonly record struct NodeShape(int Rows, int Cols)
{
    /// <summary>Elements per instance; throws <see cref="OverflowException"/> beyond <see cref="int.MaxValue"/> (a graph refuses such shapes first).</summary>
    public int Length => checked(Rows * Cols);

    /// <summary>Elements per instance, in 64-bit arithmetic: what size checks compare against their limits.</summary>
    public long LongLength => (long)Rows * Cols;

    /// <summary>The [1 × 1] shape of a scalar.</summary>
    public static NodeShape Scalar => new(1, 1);

    /// <inheritdoc/>
    public override string ToString() => $"[{Rows}×{Cols}]";
}
