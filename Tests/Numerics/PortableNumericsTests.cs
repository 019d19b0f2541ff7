using EcsNeural.Benchmarks.Determinism;
using EcsNeural.Systems.Kernels;
using EcsNeural.Tests.Support;

namespace EcsNeural.Tests.Numerics;

/// <summary>
/// <see cref="NumericsMode.Portable"/> keeps its promise: the determinism runs (a population whose agents spawn and die,
/// a float network with every transcendental op, a double network) give the same checksums of values, gradients and
/// parameters in child processes that see less of the CPU — AVX-512 off, 256- and 128-bit vectors, no AVX2 (and so no
/// FMA), no hardware intrinsics at all — as in this process, and with any worker count.
/// </summary>
public sealed class PortableNumericsTests
{
    private const int Steps = 200;

    [Test]
    public void PortableTrainingGivesTheSameBitsWithOneTwoAndThreeWorkers()
    {
        TrainingChecksums[] runs = [.. new[] { 1, 2, 3 }.Select(w => ChecksumTraining.Population(40, w, NumericsMode.Portable))];
        Assert.That(runs[1], Is.EqualTo(runs[0]));
        Assert.That(runs[2], Is.EqualTo(runs[0]));
        TrainingChecksums[] networks = [.. new[] { 1, 2, 3 }.Select(w => ChecksumTraining.Network<float>("network-float", 20, w, batch: 64, width: 64, NumericsMode.Portable))];
        Assert.That(networks[1], Is.EqualTo(networks[0]));
        Assert.That(networks[2], Is.EqualTo(networks[0]));
    }

    [Slow]
    [TestCaseSource(nameof(Settings))]
    public void PortableChecksumsAreTheSameUnderEveryInstructionSetSetting(InstructionSetSetting setting)
    {
        string[] parent = [.. ChecksumTraining.RunAll(Steps, workers: 2, NumericsMode.Portable)];
        IReadOnlyList<string> child = DeterminismReport.Run(setting, Steps, workers: 2, NumericsMode.Portable, out string cpu);
        Assert.That(child, Is.EqualTo(parent), $"under {setting} [{cpu}]");
    }

    private static IEnumerable<TestCaseData> Settings()
        => InstructionSetSetting.Reduced.Select(s => new TestCaseData(s).SetArgDisplayNames($"{s.Variable}={s.Value}"));
}
