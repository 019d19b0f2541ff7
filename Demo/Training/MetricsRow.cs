namespace EcsNeural.Demo.Training;

/// <summary>One sample of the learning curves, averaged over the ticks since the previous row.</summary>
/// <param name="Tick">Tick at the end of the interval.</param>
/// <param name="FoodRate">Food eaten per agent per simulated minute over the interval.</param>
/// <param name="RewardRate">Reward (as <see cref="RewardSystem"/> defines it, whoever drives) per agent per simulated minute.</param>
/// <param name="Loss">Mean imitation loss (MSE to the teacher) over the interval, NaN while learning from reward.</param>
/// <param name="TrainMilliseconds">Mean wall-clock milliseconds per tick spent in the neural module (acting and learning).</param>
/// <param name="WorstTrainMilliseconds">The slowest tick's milliseconds in the neural module (a PPO update's tick, unless spread).</param>
/// <param name="ArenaMilliseconds">Mean wall-clock milliseconds per tick spent in the arena's own systems (everything but the module).</param>
/// <param name="Signal">What drove the agents at the end of the interval (null: the teacher).</param>
public readonly record struct MetricsRow(long Tick, double FoodRate, double RewardRate, double Loss, double TrainMilliseconds,
    double WorstTrainMilliseconds, double ArenaMilliseconds, TrainingSignal? Signal);
