using EcsNeural.Ecs;
using EcsNeural.Systems.Graph;

namespace EcsNeural.Systems;

/// <summary>
/// Last system of a neural group: waits for every graph's jobs, so values, gradients and parameters are ready to read
/// and any failure (a <see cref="NonFiniteValueException"/>) surfaces here, in the tick that caused it.
/// </summary>
[UpdateAfter(typeof(OptimizerSystem))]
public sealed class CompleteSystem(NeuralRuntime runtime) : ISystem<float>
{
    /// <inheritdoc/>
    public void Update(in float deltaTime) => runtime.CompleteAll();
}
