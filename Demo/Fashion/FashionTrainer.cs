using System.Diagnostics;
using EcsNeural.Plugin.Building;
using EcsNeural.Systems.Init;
using EcsNeural.Systems.Optimizers;

namespace EcsNeural.Demo.Fashion;

/// <summary>Trains a <see cref="FashionNetwork"/> with Adam on shuffled minibatches and tests it after every epoch.</summary>
public static class FashionTrainer
{
    /// <summary>
    /// Trains one network with <paramref name="activation"/> hidden units and returns every epoch's result.
    /// <paramref name="stepDone"/> is called after each minibatch, <paramref name="epochDone"/> after each epoch's test.
    /// </summary>
    public static IReadOnlyList<EpochResult> Train(LabelledImages train, LabelledImages test, Activation activation,
        TrainingSettings settings, Action? stepDone = null, Action<EpochResult>? epochDone = null)
    {
        settings.Validate();
        if (train.Count < settings.Batch)
            throw new ArgumentException($"{train.Source} holds {train.Count} images, fewer than one minibatch of {settings.Batch}.", nameof(train));
        using var network = new FashionNetwork(train.PixelsPerImage, train.Classes, settings.Hidden, activation, settings.Batch, settings.Workers, settings.Seed);
        int[] order = Enumerable.Range(0, train.Count).ToArray();
        var results = new List<EpochResult>(settings.Epochs);
        for (int epoch = 0; epoch < settings.Epochs; epoch++)
        {
            double learningRate = settings.LearningRateAt(epoch);
            network.Optimizer = OptimizerOptions.Adam(learningRate);
            Shuffle(order, settings.Seed, epoch);
            long start = Stopwatch.GetTimestamp();
            double lossSum = 0;
            int steps = train.Count / settings.Batch;
            for (int s = 0; s < steps; s++)
            {
                lossSum += network.TrainStep(train, order.AsSpan(s * settings.Batch, settings.Batch));
                stepDone?.Invoke();
            }
            double trainSeconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
            start = Stopwatch.GetTimestamp();
            double accuracy = (double)network.CountCorrect(test) / test.Count;
            var result = new EpochResult(epoch + 1, learningRate, lossSum / steps, accuracy, trainSeconds, Stopwatch.GetElapsedTime(start).TotalSeconds);
            results.Add(result);
            epochDone?.Invoke(result);
        }
        return results;
    }

    /// <summary>Fisher–Yates with draws keyed by (seed, epoch, position): the same order on every run.</summary>
    private static void Shuffle(int[] order, ulong seed, int epoch)
    {
        for (int i = order.Length - 1; i > 0; i--)
        {
            int j = (int)(KeyedRandom.Bits(seed, (ulong)epoch, 0, (ulong)i) % (ulong)(i + 1));
            (order[i], order[j]) = (order[j], order[i]);
        }
    }
}
