namespace EcsNeural.Plugin.Building;

/// <summary>The hidden or output unit applied after a layer's affine map.</summary>
public enum ActivationKind : byte
{
    /// <summary>No unit: the layer stays linear (a linear output unit).</summary>
    Identity,
    /// <summary>max(0, z).</summary>
    Relu,
    /// <summary>max(0, z) + α·min(0, z) with a fixed α.</summary>
    LeakyRelu,
    /// <summary>Leaky ReLU with a learned slope per unit.</summary>
    PRelu,
    /// <summary>|z|.</summary>
    AbsRelu,
    /// <summary>The maximum over each group of k affine pieces.</summary>
    Maxout,
    /// <summary>1/(1+e⁻ᶻ).</summary>
    Sigmoid,
    /// <summary>tanh z.</summary>
    Tanh,
    /// <summary>log(1+eᶻ).</summary>
    Softplus,
    /// <summary>max(−1, min(1, z)).</summary>
    HardTanh,
    /// <summary>sin z.</summary>
    Sin,
    /// <summary>Row-wise softmax.</summary>
    Softmax,
    /// <summary>Row-wise log-softmax.</summary>
    LogSoftmax,
}
