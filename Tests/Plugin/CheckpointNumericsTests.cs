using System.Buffers.Binary;
using EcsNeural.Plugin;
using EcsNeural.Plugin.Building;
using EcsNeural.Plugin.Checkpoints;
using EcsNeural.Systems.Kernels;
using EcsNeural.Systems.Optimizers;

namespace EcsNeural.Tests.Plugin;

/// <summary>The graph's <see cref="NumericsMode"/> travels with its checkpoint; files from before the field still load.</summary>
public class CheckpointNumericsTests
{
    private DirectoryInfo _directory = null!;

    [SetUp]
    public void CreateDirectory() => _directory = Directory.CreateTempSubdirectory("ecsneural-numerics-");

    [TearDown]
    public void DeleteDirectory() => _directory.Delete(recursive: true);

    [Test]
    public void ThePluginOptionReachesEveryNetwork()
    {
        using var host = new PluginHost(new NeuralPluginOptions { Numerics = NumericsMode.Portable });
        Assert.That(host.Module.Runtime.Numerics, Is.EqualTo(NumericsMode.Portable));
        Assert.That(Create(host, seed: 1).Graph.Numerics, Is.EqualTo(NumericsMode.Portable));
    }

    [Test]
    public void APortableCheckpointRestoresPortableModeAndResumesBitForBit()
    {
        string path = Path.Combine(_directory.FullName, "portable.ckpt");
        using var straight = new PluginHost(new NeuralPluginOptions { Numerics = NumericsMode.Portable });
        MlpNetwork<float> a = Create(straight, seed: 1);
        Train(straight, a, 0, 10);
        Checkpoint.Save(a.Graph, path);
        Train(straight, a, 10, 10);

        using var resumed = new PluginHost(workers: 2);   // a Fast module: the checkpoint switches the graph
        MlpNetwork<float> b = Create(resumed, seed: 7);
        Assert.That(b.Graph.Numerics, Is.EqualTo(NumericsMode.Fast));
        Checkpoint.Load(b.Graph, path);
        Assert.That(b.Graph.Numerics, Is.EqualTo(NumericsMode.Portable));
        Train(resumed, b, 10, 10);

        Assert.That(Bits(b), Is.EqualTo(Bits(a)));
    }

    [Test]
    public void AFastCheckpointRestoresFastMode()
    {
        string path = Path.Combine(_directory.FullName, "fast.ckpt");
        using (var host = new PluginHost())
            Checkpoint.Save(Create(host, seed: 1).Graph, path);
        using var portable = new PluginHost(new NeuralPluginOptions { Numerics = NumericsMode.Portable });
        MlpNetwork<float> net = Create(portable, seed: 2);
        Checkpoint.Load(net.Graph, path);
        Assert.That(net.Graph.Numerics, Is.EqualTo(NumericsMode.Fast));
    }

    [Test]
    public void AVersion2FileLoadsAndLeavesTheModeAsItIs()
    {
        string path = Path.Combine(_directory.FullName, "v2.ckpt");
        MlpNetwork<float> saved;
        using var host = new PluginHost();
        saved = Create(host, seed: 1);
        Train(host, saved, 0, 3);
        Checkpoint.Save(saved.Graph, path);
        // Version 2 is version 3 without the numerics byte.
        byte[] v3 = File.ReadAllBytes(path);
        int at = CheckpointFile.Field(v3, "numerics").Offset;
        byte[] v2 = [.. v3[..at], .. v3[(at + 1)..]];
        BinaryPrimitives.WriteUInt32LittleEndian(v2.AsSpan(8), 2);
        File.WriteAllBytes(path, CheckpointFile.Sealed(v2));

        using var portable = new PluginHost(new NeuralPluginOptions { Numerics = NumericsMode.Portable });
        MlpNetwork<float> net = Create(portable, seed: 2);
        Checkpoint.Load(net.Graph, path);
        Assert.That(net.Graph.Numerics, Is.EqualTo(NumericsMode.Portable));
        Assert.That(Bits(net), Is.EqualTo(Bits(saved)));
    }

    [Test]
    public void AnUnknownModeIsRejectedNamingTheField()
    {
        string path = Path.Combine(_directory.FullName, "bad.ckpt");
        using var host = new PluginHost();
        MlpNetwork<float> net = Create(host, seed: 1);
        Checkpoint.Save(net.Graph, path);
        byte[] file = File.ReadAllBytes(path);
        file[CheckpointFile.Field(file, "numerics").Offset] = 9;
        File.WriteAllBytes(path, CheckpointFile.Sealed(file));

        var ex = Assert.Throws<CheckpointException>(() => Checkpoint.Load(net.Graph, path));
        Assert.That(ex!.Field, Is.EqualTo("numerics"));
    }

    private static MlpNetwork<float> Create(PluginHost host, ulong seed) => CheckpointTests.Create(host, OptimizerOptions.Adam(0.01), seed);

    private static void Train(PluginHost host, MlpNetwork<float> net, int fromStep, int steps) => CheckpointTests.Train(host, net, fromStep, steps);

    private static int[] Bits(MlpNetwork<float> net) => CheckpointTests.Bits(net);
}
