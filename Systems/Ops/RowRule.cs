namespace EcsNeural.Systems.Ops;

/// <summary>
/// How an op treats rows, when its per-sample operands hold one row per sample (what decides whether an ONNX export can
/// take any batch size).
/// </summary>
public enum RowRule : byte
{
    /// <summary>Row r of the output depends on row r of the input only (elementwise ops, row-wise softmax, column sums).</summary>
    Independent,

    /// <summary>Row-independent as long as every operand not computed from the samples is a single row (a broadcast).</summary>
    BroadcastOperands,

    /// <summary>The samples are the left operand's rows; the other operands (weights) must not depend on them.</summary>
    SamplesOnLeft,

    /// <summary>Combines rows of different samples (sums over rows, losses, transposes).</summary>
    Mixes,
}
