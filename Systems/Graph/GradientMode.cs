namespace EcsNeural.Systems.Graph;

/// <summary>What the backward pass does with the gradients of the requested variables (parameters) from earlier passes.</summary>
public enum GradientMode
{
    /// <summary>Every backward pass starts them from zero: the optimizer sees this step's gradient.</summary>
    ZeroEachStep,
    /// <summary>Backward passes add into them (several mini-batches per update); clear them with <see cref="ComputeGraph.ZeroGradients"/>.</summary>
    Accumulate,
}
