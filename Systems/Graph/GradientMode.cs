namespace EcsNeural.Systems.Graph;

/// <summary>What the backward pass does with the gradients of the requested variables (parameters) from earlier passes.</summary>
public enum GradientMode
{
    /// <summary>Every backward pass starts them from zero: the optimizer sees this step's gradient.</summary>
    ZeroEachStep,
    /// <summary>Backward passes add into them (several mini-batches per update); clear them with <see cref="ComputeGraph.ZeroGradients"/>.</summary>
    Accumulate,
    /// <summary>
    /// Like <see cref="ZeroEachStep"/>, but no gradient is kept: each instance block's gradients live in a scratch buffer
    /// of the thread running its job, sized for one block and reused block after block, and the optimizer consumes them in
    /// that same job. Parameters and optimizer state come out bit-identical to <see cref="ZeroEachStep"/>; each step
    /// saves writing every gradient of all instances to memory and reading it back (most of a large population's
    /// traffic). <see cref="ComputeGraph{T}.Gradients"/> and <see cref="ComputeGraph{T}.AllGradients"/> throw; the
    /// backward and optimizer passes must run in one job (the training systems do that unless the passes are forced
    /// apart, e.g. by reading values between them, which is an <see cref="InvalidOperationException"/>); requesting the
    /// gradient of a non-trainable node is a <see cref="GraphValidationException"/> at compile, since nothing could read it.
    /// </summary>
    BlockLocal,
}
