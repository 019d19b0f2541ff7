namespace EcsNeural.Plugin.Onnx;

/// <summary>How an ONNX export declares the first (batch) dimension of its inputs and outputs.</summary>
public enum OnnxBatch
{
    /// <summary>
    /// <see cref="Dynamic"/> when every exported node treats rows as independent samples, otherwise <see cref="Fixed"/>;
    /// a fixed model's description (<c>doc_string</c>) names the node that mixes rows.
    /// </summary>
    Auto,

    /// <summary>
    /// A symbolic first dimension named <c>batch</c> on every input and on every output computed from them, so one model
    /// runs 1 or N samples. Export throws <see cref="NotSupportedException"/> naming the node and its operation when a
    /// node mixes rows (Sum, Mean, SumRows, RepeatRows, a product over the batch, a parameter with the batch's rows, …).
    /// </summary>
    Dynamic,

    /// <summary>The graph's own batch rows, exactly as built.</summary>
    Fixed,
}
