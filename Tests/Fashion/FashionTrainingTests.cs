using EcsNeural.Demo.Fashion;
using EcsNeural.Plugin.Building;
using EcsNeural.Tests.Support;

namespace EcsNeural.Tests.Fashion;

/// <summary>Training on a slice of the real dataset (CI installs Debian's dataset-fashion-mnist through setup.sh).</summary>
[Slow]
[TestFixture]
public sealed class FashionTrainingTests
{
    private static LabelledImages _train = null!, _test = null!;

    [OneTimeSetUp]
    public void LoadSlice()
    {
        Assert.That(FashionMnist.MissingFiles(FashionMnist.DefaultDirectory), Is.Empty, FashionMnist.NotFoundMessage(FashionMnist.DefaultDirectory));
        (LabelledImages train, LabelledImages test) = FashionMnist.Load();
        Assert.That((train.Count, test.Count, train.PixelsPerImage), Is.EqualTo((60_000, 10_000, 784)));
        (_train, _test) = (train.Take(2_000), test.Take(1_000));
    }

    [Test]
    public void TrainingLowersTheLossAndLiftsTestAccuracyFarAboveChance()
    {
        var settings = new TrainingSettings { Epochs = 4, Batch = 100, Workers = 2, Seed = 3 };

        IReadOnlyList<EpochResult> epochs = FashionTrainer.Train(_train, _test, Activation.Relu, settings);

        Assert.That(epochs.Select(e => e.Epoch), Is.EqualTo(new[] { 1, 2, 3, 4 }));
        for (int e = 1; e < epochs.Count; e++)
            Assert.That(epochs[e].TrainLoss, Is.LessThan(epochs[e - 1].TrainLoss), $"train loss of epoch {e + 1}");
        Assert.That(epochs[0].TrainLoss, Is.LessThan(Math.Log(10)), "below the loss of a uniform guess after one epoch");
        Assert.That(epochs[^1].TestAccuracy, Is.GreaterThanOrEqualTo(0.60), "chance is 10%");
    }

    private static readonly Activation[] TanhAndSin = [Activation.Tanh, Activation.Sin];

    [TestCaseSource(nameof(TanhAndSin))]
    public void TanhAndSinHiddenUnitsLearnToo(Activation activation)
    {
        var settings = new TrainingSettings { Epochs = 2, Batch = 100, Workers = 2, Seed = 3 };

        IReadOnlyList<EpochResult> epochs = FashionTrainer.Train(_train, _test, activation, settings);

        Assert.That(epochs[1].TrainLoss, Is.LessThan(epochs[0].TrainLoss));
        Assert.That(epochs[^1].TestAccuracy, Is.GreaterThanOrEqualTo(0.60));
    }

    [Test]
    public void SameSeedGivesTheSameResultsWithOneOrTwoWorkers()
    {
        LabelledImages train = _train.Take(600), test = _test.Take(300);
        var settings = new TrainingSettings { Epochs = 1, Batch = 100, Seed = 5 };

        EpochResult one = FashionTrainer.Train(train, test, Activation.Relu, settings with { Workers = 1 })[0];
        EpochResult two = FashionTrainer.Train(train, test, Activation.Relu, settings with { Workers = 2 })[0];

        Assert.That(two.TrainLoss, Is.EqualTo(one.TrainLoss));
        Assert.That(two.TestAccuracy, Is.EqualTo(one.TestAccuracy));
    }

    [Test]
    public void EvaluationCoversAPartialLastMinibatch()
    {
        // 1,000 test images in minibatches of 128: seven full ones and a padded one of 104.
        var settings = new TrainingSettings { Epochs = 1, Batch = 128, Workers = 2, Seed = 3 };
        EpochResult padded = FashionTrainer.Train(_train, _test, Activation.Relu, settings)[0];
        double correct = padded.TestAccuracy * _test.Count;
        Assert.That(correct, Is.EqualTo(Math.Round(correct)).Within(1e-9), "a whole number of the 1,000 images");
        Assert.That(padded.TestAccuracy, Is.GreaterThan(0.3));
    }

    [Test]
    public void ATrainingStepAllocatesNothingAfterWarmUp()
    {
        using var network = new FashionNetwork(784, 10, [256, 128], Activation.Relu, batch: 32, workers: 1, seed: 3);
        int[] indices = Enumerable.Range(0, 32).ToArray();
        Assert.That(Allocations.AfterWarmUp(() => network.TrainStep(_train, indices), steps: 10), Is.Zero);
    }
}
