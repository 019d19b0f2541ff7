namespace EcsNeural.Plugin.Building;

/// <summary>The loss an <see cref="Mlp"/> is trained with, paired with its output unit as the lecture pairs them.</summary>
public enum OutputLoss : byte
{
    /// <summary>No loss: the network only infers.</summary>
    None,
    /// <summary>Mean squared error of the output against a target (any output unit, usually linear).</summary>
    MeanSquaredError,
    /// <summary>Binary cross-entropy; the last layer must use <see cref="Activation.Sigmoid"/> (the loss reads its logits).</summary>
    SigmoidCrossEntropy,
    /// <summary>Cross-entropy; the last layer must use <see cref="Activation.Softmax"/> (the loss reads its logits).</summary>
    SoftmaxCrossEntropy,
}
