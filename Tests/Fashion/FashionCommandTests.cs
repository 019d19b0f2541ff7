using System.CommandLine;
using EcsNeural.Demo.Fashion;

namespace EcsNeural.Tests.Fashion;

[TestFixture]
public sealed class FashionCommandTests
{
    [Test]
    public void WithoutTheDatasetItSaysHowToInstallItAndFails()
    {
        using var files = new IdxFiles();
        var output = new StringWriter();
        var error = new StringWriter();

        int exitCode = FashionCommand.Create().Parse(["--data", files.Directory, "--epochs", "1"])
            .Invoke(new InvocationConfiguration { Output = output, Error = error });

        Assert.That(exitCode, Is.Not.Zero);
        Assert.That(error.ToString().Trim(), Is.EqualTo(
            $"Fashion-MNIST not found at {files.Directory}; install it with: sudo apt-get install dataset-fashion-mnist"));
        Assert.That(output.ToString(), Is.Empty);
    }

    [Test]
    public void ADamagedDatasetFileIsReportedByNameAndFails()
    {
        using var files = new IdxFiles();
        byte[] labels = IdxFiles.Gzip(IdxFiles.Idx(0x08, [2], [0, 1]));
        string images = files.Write("train-images-idx3-ubyte.gz", IdxFiles.Gzip(IdxFiles.Idx(0x08, [2, 2, 2], new byte[5])));
        files.Write("train-labels-idx1-ubyte.gz", labels);
        files.Write("t10k-images-idx3-ubyte.gz", IdxFiles.Gzip(IdxFiles.Idx(0x08, [2, 2, 2], new byte[8])));
        files.Write("t10k-labels-idx1-ubyte.gz", labels);
        var error = new StringWriter();

        int exitCode = FashionCommand.Create().Parse(["--data", files.Directory])
            .Invoke(new InvocationConfiguration { Output = new StringWriter(), Error = error });

        Assert.That(exitCode, Is.Not.Zero);
        Assert.That(error.ToString().Trim(), Is.EqualTo($"{images}: truncated: the header declares 8 data bytes (2 × 2 × 2) but the file ends after 5."));
    }

    [TestCase("--epochs", "0")]
    [TestCase("--batch", "-3")]
    [TestCase("--workers", "0")]
    [TestCase("--learning-rate", "0")]
    public void NonPositiveSettingsAreRejectedByName(string option, string value)
    {
        ParseResult parse = FashionCommand.Create().Parse([option, value]);
        Assert.That(parse.Errors.Select(e => e.Message), Has.One.StartsWith(option + " must be"));
    }

    [Test]
    public void ImagesAndLabelsOfDifferentCountsAreAnErrorNamingBothFiles()
    {
        using var files = new IdxFiles();
        byte[] twoImages = IdxFiles.Gzip(IdxFiles.Idx(0x08, [2, 2, 2], new byte[8]));
        files.Write("train-images-idx3-ubyte.gz", twoImages);
        string labels = files.Write("train-labels-idx1-ubyte.gz", IdxFiles.Gzip(IdxFiles.Idx(0x08, [3], [0, 1, 2])));
        files.Write("t10k-images-idx3-ubyte.gz", twoImages);
        files.Write("t10k-labels-idx1-ubyte.gz", IdxFiles.Gzip(IdxFiles.Idx(0x08, [2], [0, 1])));

        var ex = Assert.Throws<InvalidDataException>(() => FashionMnist.Load(files.Directory))!;

        Assert.That(ex.Message, Does.Contain(Path.Combine(files.Directory, "train-images-idx3-ubyte.gz") + " holds 2 images"));
        Assert.That(ex.Message, Does.Contain(labels + " holds 3 labels"));
    }

    [Test]
    public void ALabelOutsideTheTenClassesIsAnError()
    {
        using var files = new IdxFiles();
        byte[] twoImages = IdxFiles.Gzip(IdxFiles.Idx(0x08, [2, 2, 2], new byte[8]));
        files.Write("train-images-idx3-ubyte.gz", twoImages);
        files.Write("train-labels-idx1-ubyte.gz", IdxFiles.Gzip(IdxFiles.Idx(0x08, [2], [3, 10])));
        files.Write("t10k-images-idx3-ubyte.gz", twoImages);
        files.Write("t10k-labels-idx1-ubyte.gz", IdxFiles.Gzip(IdxFiles.Idx(0x08, [2], [0, 1])));

        var ex = Assert.Throws<InvalidDataException>(() => FashionMnist.Load(files.Directory))!;

        Assert.That(ex.Message, Does.Contain(Path.Combine(files.Directory, "train-labels-idx1-ubyte.gz") + ": label 1 is 10; classes are 0–9"));
    }
}
