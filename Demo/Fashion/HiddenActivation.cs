namespace EcsNeural.Demo.Fashion;

/// <summary>The hidden unit of both hidden layers of the Fashion-MNIST network.</summary>
public enum HiddenActivation
{
    /// <summary>max(0, x), He-initialised weights, biases 0.1 (the lecture's advice for ReLU layers).</summary>
    Relu,
    /// <summary>tanh x, Xavier-initialised weights.</summary>
    Tanh,
    /// <summary>sin x, Xavier-initialised weights (the lecture cites sin as about as good as tanh).</summary>
    Sin,
}
