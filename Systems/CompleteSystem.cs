using EcsNeural.Ecs;
using EcsNeural.Systems.Graph;

namespace EcsNeural.Systems;

/// <summary>
/// Last system of a neural group: waits for every graph's jobs, so values, gradients and parameters are ready to read
/// and any failure (a <see cref="NonFiniteValueException"/>) surfaces here, in the tick that caused it.
/// </summary>
/// <typeparam name="TState">The per-frame state of the host's system group; not read.</typeparam>
[UpdateAfter(typeof(OptimizerSystem<>))]
public sealed class CompleteSystem<TState>(NeuralRuntime runtime) : ISystem<TState>
{
    /// <inheritdoc/>
    public void Update(in TState state) => runtime.CompleteAll();
}
