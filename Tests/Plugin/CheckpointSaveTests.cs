using EcsNeural.Plugin.Building;
using EcsNeural.Plugin.Checkpoints;
using EcsNeural.Plugin;
using EcsNeural.Systems.Optimizers;

namespace EcsNeural.Tests.Plugin;

/// <summary>Saving: non-trainable parameters kept, the file written atomically and streamed, stale temporaries removed, IO failures reported.</summary>
public class CheckpointSaveTests : CheckpointFixture
{
    [Test]
    public void NonTrainableParametersAreSavedAndRestoredAndTrainingResumesBitForBit()
    {
        PluginHost straight = Host();
        NormalisedNetwork a = NormalisedNetwork.Create(straight, instances: 3, seed: 1, OptimizerOptions.Momentum(0.05, 0.9));
        a.Train(straight, 0, 10);
        Checkpoint.Save(a.Graph, PathOf("net.ckpt"));
        a.Train(straight, 10, 10);

        PluginHost resumed = Host();
        NormalisedNetwork b = NormalisedNetwork.Create(resumed, instances: 3, seed: 2, OptimizerOptions.Sgd(0.5));
        float[] freshMean = b.Graph.AllValues(b.Mean).ToArray();
        Checkpoint.Load(b.Graph, PathOf("net.ckpt"));
        Assert.That(b.Graph.AllValues(b.Mean).ToArray(), Is.Not.EqualTo(freshMean), "the mean came from the file");
        b.Train(resumed, 10, 10);

        Assert.That(b.State().Bits, Is.EqualTo(a.State().Bits));
        Assert.That(b.Graph.AllValues(b.Mean).ToArray(), Is.EqualTo(a.Graph.AllValues(a.Mean).ToArray()));
    }

    [Test]
    public void LoadingThenSavingGivesTheSameBytes()
    {
        PluginHost source = Host();
        NormalisedNetwork a = NormalisedNetwork.Create(source, instances: 2, seed: 1, OptimizerOptions.Adam(0.01));
        a.Train(source, 0, 3);
        Checkpoint.Save(a.Graph, PathOf("a.ckpt"));
        NormalisedNetwork b = NormalisedNetwork.Create(Host(), instances: 2, seed: 5, OptimizerOptions.Sgd(0.1));

        Checkpoint.Load(b.Graph, PathOf("a.ckpt"));
        Checkpoint.Save(b.Graph, PathOf("b.ckpt"));

        Assert.That(File.ReadAllBytes(PathOf("b.ckpt")), Is.EqualTo(File.ReadAllBytes(PathOf("a.ckpt"))));
    }

    [Test]
    public void SaveReplacesAtomicallyAndLeavesNoTemporaryFile()
    {
        NormalisedNetwork net = NormalisedNetwork.Create(Host(), 2, 1, OptimizerOptions.Adam());
        Checkpoint.Save(net.Graph, PathOf("net.ckpt"));
        Checkpoint.Save(net.Graph, PathOf("net.ckpt"));   // over the existing file

        Assert.That(FileNames(), Is.EqualTo(new[] { "net.ckpt" }));
        Assert.DoesNotThrow(() => Checkpoint.Load(net.Graph, PathOf("net.ckpt")));
    }

    [Test]
    public void SaveRemovesTemporariesOfEarlierCrashedSavesOfTheSamePathOnly()
    {
        NormalisedNetwork net = NormalisedNetwork.Create(Host(), 2, 1, OptimizerOptions.Adam());
        string[] crashed = [$"net.ckpt.{Guid.NewGuid():N}.tmp", $"net.ckpt.{Guid.NewGuid():N}.tmp"];
        string writing = $"net.ckpt.{Guid.NewGuid():N}.tmp";
        string[] others = [$"other.ckpt.{Guid.NewGuid():N}.tmp", "net.ckpt.notes.tmp", $"net.ckpt.{Guid.NewGuid():N}.tmp.bak", $"xnet.ckpt.{Guid.NewGuid():N}.tmp"];
        foreach (string name in crashed.Concat(others).Append(writing))
            File.WriteAllBytes(PathOf(name), new byte[100]);

        using (new FileStream(PathOf(writing), FileMode.Open, FileAccess.Write, FileShare.None))   // a save in progress holds its file
            Checkpoint.Save(net.Graph, PathOf("net.ckpt"));

        Assert.That(FileNames(), Is.EqualTo(others.Append(writing).Append("net.ckpt").Order(StringComparer.Ordinal).ToArray()));
    }

    [Test]
    public void SaveStreamsInsteadOfBufferingTheFile()
    {
        PluginHost host = Host();
        MlpNetwork<float> big = host.Module.CreateNetwork(Mlp.Input(256).Dense(512, Activation.Relu).Dense(256),
            new NetworkOptions { Instances = 1, Loss = OutputLoss.MeanSquaredError, Optimizer = OptimizerOptions.Adam() });
        string path = PathOf("big.ckpt");
        Checkpoint.Save(big.Graph, path);   // warm up

        long before = GC.GetAllocatedBytesForCurrentThread();
        Checkpoint.Save(big.Graph, path);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        long size = new FileInfo(path).Length;
        Assert.That(size, Is.GreaterThan(3_000_000));
        Assert.That(allocated, Is.LessThan(size / 50), $"Save of a {size}-byte checkpoint allocated {allocated} bytes");
    }

    [Test]
    public void SaveIntoAMissingDirectoryOrOverAFolderIsACheckpointExceptionAndLeavesNothing()
    {
        NormalisedNetwork net = NormalisedNetwork.Create(Host(), 2, 1, OptimizerOptions.Adam());
        System.IO.Directory.CreateDirectory(PathOf("folder"));
        string missing = PathOf("missing/dir/net.ckpt");

        var inMissing = Assert.Throws<CheckpointException>(() => Checkpoint.Save(net.Graph, missing))!;
        var overFolder = Assert.Throws<CheckpointException>(() => Checkpoint.Save(net.Graph, PathOf("folder")))!;

        Assert.That(inMissing.Field, Is.EqualTo("file"));
        Assert.That(inMissing.Message, Does.Contain($"'{missing}', file: cannot be written: directory '{Path.GetDirectoryName(missing)}' does not exist"));
        Assert.That(overFolder.Message, Does.Contain("file: is a directory, not a checkpoint file"));
        Assert.That(FileNames(), Is.Empty);
        Assert.That(System.IO.Directory.GetFileSystemEntries(PathOf("folder")), Is.Empty);
    }
}
