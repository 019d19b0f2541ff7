using EcsNeural.Plugin.Checkpoints;
using EcsNeural.Systems.Optimizers;

namespace EcsNeural.Tests.Plugin;

/// <summary>
/// Files whose checksum is right but whose fields are wrong, and files that cannot be read: each is a
/// <see cref="CheckpointException"/> naming the file and the field, and the target graph keeps every bit.
/// </summary>
public class CheckpointValidationTests : CheckpointFixture
{
    private const int Instances = 2;
    private byte[] _saved = null!;
    private NormalisedNetwork _target = null!;
    private GraphState _before = null!;

    [SetUp]
    public void SaveAnAdamNetworkAndMakeAnSgdTarget()
    {
        PluginHost source = Host();
        NormalisedNetwork trained = NormalisedNetwork.Create(source, Instances, seed: 1, OptimizerOptions.Adam(0.01));
        trained.Train(source, 0, 5);
        Checkpoint.Save(trained.Graph, PathOf("saved.ckpt"));
        _saved = File.ReadAllBytes(PathOf("saved.ckpt"));
        _target = NormalisedNetwork.Create(Host(), Instances, seed: 2, OptimizerOptions.Sgd(0.1));
        _before = _target.State();
    }

    /// <summary>Loads <paramref name="file"/> (its length and checksum made right) and returns the failure, checking the target kept every bit.</summary>
    private CheckpointException Rejected(byte[] file)
    {
        string path = PathOf("bad.ckpt");
        File.WriteAllBytes(path, CheckpointFile.Sealed(file));
        var ex = Assert.Throws<CheckpointException>(() => Checkpoint.Load(_target.Graph, path))!;
        Assert.That(ex.Path, Is.EqualTo(path));
        Assert.That(ex.Message, Does.StartWith($"Checkpoint '{path}', {ex.Field}: "));
        Assert.That(_target.State().Matches(_before), Is.True, "the target changed");
        return ex;
    }

    private byte[] Saved() => (byte[])_saved.Clone();

    [Test]
    public void TheSavedFileLoadsAndChangesTheTargetToTheSource()
    {
        File.WriteAllBytes(PathOf("good.ckpt"), _saved);
        Checkpoint.Load(_target.Graph, PathOf("good.ckpt"));
        Assert.That(_target.Graph.Optimizer, Is.EqualTo(OptimizerOptions.Adam(0.01)));
        Assert.That(_target.State().Matches(_before), Is.False);
    }

    [Test]
    public void NegativeStepCountIsRejectedBeforeAnythingIsCopied()
    {
        byte[] file = Saved();
        CheckpointFile.WriteInt64(file, "optimizer steps of instance 1", -3);

        CheckpointException ex = Rejected(file);

        Assert.That(ex.Field, Is.EqualTo("optimizer steps of instance 1"));
        Assert.That(ex.Message, Does.Contain("-3 is negative"));
        Assert.That(_target.Graph.Optimizer.Kind, Is.EqualTo(OptimizerKind.Sgd));
    }

    [Test]
    public void AnInstanceCountOfIntMaxIsRejectedBeforeAllocating()
    {
        byte[] file = Saved();
        CheckpointFile.WriteInt32(file, "instances", int.MaxValue);
        string path = PathOf("bad.ckpt");
        File.WriteAllBytes(path, CheckpointFile.Sealed(file));
        Checkpoint.Load(_target.Graph, PathOf("saved.ckpt"));   // warm: the same code path, then back to the target's state below
        Checkpoint.Load(_target.Graph, PathOf("saved.ckpt"));
        GraphState loaded = _target.State();

        long before = GC.GetAllocatedBytesForCurrentThread();
        var ex = Assert.Throws<CheckpointException>(() => Checkpoint.Load(_target.Graph, path))!;
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.That(ex.Field, Is.EqualTo("instances"));
        Assert.That(ex.Message, Does.Contain($"checkpoint has {int.MaxValue}, graph has {Instances}"));
        Assert.That(allocated, Is.LessThan(256 * 1024), "bytes allocated before the rejection");
        Assert.That(_target.State().Matches(loaded), Is.True);
    }

    [TestCase(0, "a checkpoint holds at least one node")]
    [TestCase(3, "architecture mismatch: checkpoint has 3 nodes, graph has 12")]
    [TestCase(int.MaxValue, "nodes need at least")]
    [TestCase(-1, "a checkpoint holds at least one node")]
    public void NodeCountOutOfRangeNamesTheNodeCount(int count, string detail)
    {
        byte[] file = Saved();
        CheckpointFile.WriteInt32(file, "node count", count);

        CheckpointException ex = Rejected(file);

        Assert.That(ex.Field, Is.EqualTo("node count"));
        Assert.That(ex.Message, Does.Contain(detail));
    }

    [TestCase(-2, "node index -2 is outside [−1, 12)")]
    [TestCase(12, "node index 12 is outside [−1, 12)")]
    [TestCase(3, "the checkpoint's loss is node 3, the graph's is node 11")]
    [TestCase(-1, "the checkpoint's loss is node -1, the graph's is node 11")]
    public void LossIndexIsChecked(int loss, string detail)
    {
        byte[] file = Saved();
        CheckpointFile.WriteInt32(file, "loss", loss);

        Assert.That(Rejected(file).Message, Does.Contain("loss: ").And.Contain(detail));
    }

    [TestCase("learning rate", 0.0)]
    [TestCase("learning rate", -1.0)]
    [TestCase("learning rate", double.NaN)]
    [TestCase("learning rate", double.PositiveInfinity)]
    [TestCase("beta1", 1.0)]
    [TestCase("beta2", -0.5)]
    [TestCase("epsilon", 0.0)]
    [TestCase("momentum", 0.5)]   // Adam does not use it: it must hold what Adam's options report (0)
    public void HyperParameterOutOfRangeNamesIt(string field, double value)
    {
        byte[] file = Saved();
        CheckpointFile.WriteDouble(file, field, value);

        Assert.That(Rejected(file).Field, Is.EqualTo(field));
    }

    [TestCase("optimizer kind", 7, "unknown optimizer kind 7")]
    [TestCase("state tensors", 1, "1, but the Adam optimizer keeps 2")]
    [TestCase("element size", 8, "element type mismatch")]
    [TestCase("node 4 op", 200, "unknown op code 200")]
    [TestCase("node 4 trainable", 2, "2 is not 0 or 1")]
    [TestCase("node 4 input count", 9, "9 is more than the 3 any op takes")]
    [TestCase("node 1 trainable", 1, "checkpoint trainable, graph constant")]
    public void ByteFieldsAreChecked(string field, int value, string detail)
    {
        byte[] file = Saved();
        file[CheckpointFile.Field(file, field).Offset] = (byte)value;

        CheckpointException ex = Rejected(file);

        Assert.That(ex.Field, Does.StartWith(field.Split(' ') is ["node", var n, ..] ? $"node {n}" : field));
        Assert.That(ex.Message, Does.Contain(detail));
    }

    [TestCase("node 3 rows", 0, "node 3 shape", "rows and columns must be at least 1")]
    [TestCase("node 3 cols", -4, "node 3 shape", "rows and columns must be at least 1")]
    [TestCase("node 2 rows", 5, "node 2", "checkpoint shape 5×3, graph 1×3")]
    [TestCase("node 3 input 0", 3, "node 3 input 0", "node index 3 is not a node before 3")]
    [TestCase("node 3 input 1", -1, "node 3 input 1", "node index -1 is not a node before 3")]
    [TestCase("node 3 input 1", 0, "node 3", "checkpoint inputs [0, 0], graph [0, 2]")]
    public void NodeFieldsAreCheckedAgainstTheFileAndTheGraph(string field, int value, string reported, string detail)
    {
        byte[] file = Saved();
        CheckpointFile.WriteInt32(file, field, value);

        CheckpointException ex = Rejected(file);

        Assert.That(ex.Field, Is.EqualTo(reported));
        Assert.That(ex.Message, Does.Contain(detail));
    }

    [Test]
    public void ADamagedHeaderIsReportedAsCorruptionNotAsAnotherArchitecture()
    {
        byte[] file = Saved();
        file[CheckpointFile.Field(file, "node 2 rows").Offset] ^= 4;
        string path = PathOf("bad.ckpt");
        File.WriteAllBytes(path, file);   // checksum left as it was

        var ex = Assert.Throws<CheckpointException>(() => Checkpoint.Load(_target.Graph, path))!;

        Assert.That(ex.Field, Is.EqualTo("checksum"));
        Assert.That(_target.State().Matches(_before), Is.True);
    }

    [Test]
    public void NonFiniteParameterOrNegativeSecondMomentIsRejected()
    {
        int payload = CheckpointFile.PayloadOffset(_saved);
        byte[] nan = Saved();
        BitConverter.TryWriteBytes(nan.AsSpan(payload + 4), float.NaN);   // the mean's instance 0, element 1
        Assert.That(Rejected(nan).Message, Does.Contain("node 2 values: instance 0, element 1 is NaN"));

        byte[] negative = Saved();
        int secondMoment = payload + (Instances * 3 + Instances * 12 * 2) * 4;   // after the mean, W₁'s values and W₁'s first moment
        BitConverter.TryWriteBytes(negative.AsSpan(secondMoment + 8), -1f);
        Assert.That(Rejected(negative).Message, Does.Contain("node 4 state 1: instance 0, element 2 is -1; a second moment is finite and ≥ 0"));
    }

    [Test]
    public void PayloadOfTheWrongSizeIsRejected()
    {
        Assert.That(Rejected([.. _saved[..^12], .. _saved[^8..]]).Message, Does.Contain("payload: holds"));
        Assert.That(Rejected([.. _saved[..^8], 0, 0, 0, 0, .. _saved[^8..]]).Field, Is.EqualTo("payload"));
    }

    [Test]
    public void HeaderCutShortNamesTheFieldItEndsIn()
    {
        int loss = CheckpointFile.Field(_saved, "loss").Offset;
        CheckpointException ex = Rejected([.. _saved[..(loss + 2)], .. new byte[8]]);

        Assert.That(ex.Field, Is.EqualTo("optimizer"));
        Assert.That(ex.Message, Does.Contain($"needs {4 + 1 + 40 + 1} bytes at byte {loss}"));
    }

    [Test]
    public void MissingFileFolderAndMissingDirectoryAreCheckpointExceptions()
    {
        string missing = PathOf("nothing.ckpt"), folder = Directory.FullName, inMissingDirectory = PathOf("no/such/dir/net.ckpt");

        Assert.That(Failure(missing).Message, Does.Contain($"'{missing}', file: cannot be read: no such file"));
        Assert.That(Failure(folder).Message, Does.Contain($"'{folder}', file: cannot be read: it is a directory"));
        Assert.That(Failure(inMissingDirectory).Message, Does.Contain($"directory '{Path.GetDirectoryName(inMissingDirectory)}' does not exist"));

        CheckpointException Failure(string path)
        {
            var ex = Assert.Throws<CheckpointException>(() => Checkpoint.Load(_target.Graph, path))!;
            Assert.That(ex.Field, Is.EqualTo("file"));
            Assert.That(_target.State().Matches(_before), Is.True);
            return ex;
        }
    }
}
