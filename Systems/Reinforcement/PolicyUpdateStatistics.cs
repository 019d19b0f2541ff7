namespace EcsNeural.Systems.Reinforcement;

/// <summary>What one PPO update did, averaged over its minibatch steps.</summary>
/// <param name="Update">The update's number (1 for the first).</param>
/// <param name="Samples">Usable samples of its rollout.</param>
/// <param name="Steps">Minibatch steps taken.</param>
/// <param name="PolicyLoss">The clipped surrogate loss −mean(min(r·A, clip(r)·A)).</param>
/// <param name="ValueLoss">The value head's mean squared error against the returns.</param>
/// <param name="Entropy">The policy's entropy (per sample).</param>
/// <param name="ApproximateKl">mean((r − 1) − log r), an estimate of KL(π_old ‖ π) (how far the update moved the policy).</param>
/// <param name="ClipFraction">The fraction of samples whose ratio left [1 − ε, 1 + ε].</param>
/// <param name="MeanReward">Mean reward per usable step of the rollout.</param>
/// <param name="Milliseconds">Wall-clock time the update itself took (its shuffles and minibatch steps; summed over the ticks
/// it ran in when spread by <see cref="PpoOptions.UpdateStepsPerTick"/>): what a host budgets frames for.</param>
public readonly record struct PolicyUpdateStatistics(long Update, int Samples, int Steps, double PolicyLoss, double ValueLoss, double Entropy,
    double ApproximateKl, double ClipFraction, double MeanReward, double Milliseconds);
