namespace EcsNeural.Demo.Training;

/// <summary>One sample of the learning curves, averaged over the ticks since the previous row.</summary>
/// <param name="Tick">Tick at the end of the interval.</param>
/// <param name="FoodRate">Food eaten per agent per simulated minute over the interval.</param>
/// <param name="Loss">Mean training loss over the interval (imitation MSE, or the teacher MSE while learning from reward).</param>
/// <param name="TrainMilliseconds">Mean wall-clock milliseconds per tick spent running and training the networks.</param>
/// <param name="ArenaMilliseconds">Mean wall-clock milliseconds per tick spent in the arena's own systems (everything but the networks).</param>
/// <param name="Signal">The training signal in force at the end of the interval.</param>
public readonly record struct MetricsRow(long Tick, double FoodRate, double Loss, double TrainMilliseconds, double ArenaMilliseconds, TrainingSignal Signal);
