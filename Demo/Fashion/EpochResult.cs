namespace EcsNeural.Demo.Fashion;

/// <summary>One epoch of training.</summary>
/// <param name="Epoch">1-based epoch number.</param>
/// <param name="LearningRate">Adam's learning rate during the epoch.</param>
/// <param name="TrainLoss">Mean minibatch loss over the epoch (each measured before its update).</param>
/// <param name="TestAccuracy">Fraction of test images classified correctly after the epoch.</param>
/// <param name="TrainSeconds">Wall time of the epoch's training steps.</param>
/// <param name="TestSeconds">Wall time of the test-set evaluation.</param>
public readonly record struct EpochResult(int Epoch, double LearningRate, double TrainLoss, double TestAccuracy, double TrainSeconds, double TestSeconds);
