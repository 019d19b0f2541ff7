namespace EcsNeural.Demo.Fashion;

/// <summary>How the Fashion-MNIST network is trained.</summary>
public sealed record TrainingSettings
{
    /// <summary>Passes over the training set.</summary>
    public int Epochs { get; init; } = 15;
    /// <summary>Images per minibatch; the last partial minibatch of an epoch is skipped (a different one each epoch).</summary>
    public int Batch { get; init; } = 128;
    /// <summary>Adam's learning rate in the first epoch; it follows a cosine down to <see cref="FinalLearningRateFraction"/> of it.</summary>
    public double LearningRate { get; init; } = 1e-3;
    /// <summary>The last epoch's learning rate as a fraction of <see cref="LearningRate"/>.</summary>
    public double FinalLearningRateFraction { get; init; } = 0.02;
    /// <summary>Widths of the hidden layers.</summary>
    public IReadOnlyList<int> Hidden { get; init; } = [256, 128];
    /// <summary>Threads for the matrix products (results are the same bits with any number).</summary>
    public int Workers { get; init; } = Environment.ProcessorCount;
    /// <summary>Seed of the initial weights and of every epoch's shuffle.</summary>
    public ulong Seed { get; init; } = 1;

    /// <summary>Checks every setting, naming the bad one.</summary>
    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(Epochs, 1, nameof(Epochs));
        ArgumentOutOfRangeException.ThrowIfLessThan(Batch, 1, nameof(Batch));
        ArgumentOutOfRangeException.ThrowIfLessThan(Workers, 1, nameof(Workers));
        if (!(LearningRate > 0) || !double.IsFinite(LearningRate))
            throw new ArgumentOutOfRangeException(nameof(LearningRate), LearningRate, "The learning rate must be a positive finite number.");
        if (!(FinalLearningRateFraction > 0 && FinalLearningRateFraction <= 1))
            throw new ArgumentOutOfRangeException(nameof(FinalLearningRateFraction), FinalLearningRateFraction, "The final learning-rate fraction must lie in (0, 1].");
        if (Hidden.Count == 0 || Hidden.Any(units => units < 1))
            throw new ArgumentOutOfRangeException(nameof(Hidden), string.Join(",", Hidden), "Give at least one hidden layer, each at least one unit wide.");
    }

    /// <summary>The learning rate of epoch <paramref name="epoch"/> (0-based): a cosine from the full rate to the final fraction.</summary>
    public double LearningRateAt(int epoch)
    {
        double progress = Epochs == 1 ? 0 : (double)epoch / (Epochs - 1);
        double floor = FinalLearningRateFraction;
        return LearningRate * (floor + (1 - floor) * 0.5 * (1 + Math.Cos(Math.PI * progress)));
    }
}
