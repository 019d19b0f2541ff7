using EcsNeural.Benchmarks;
using EcsNeural.Benchmarks.Determinism;
using EcsNeural.Systems.Kernels;

namespace EcsNeural.Tests.Benchmarks;

/// <summary>The runner's ways into the portable numerics: <c>--portable</c> for W1–W5 and <c>checksums --numerics</c>.</summary>
public class PortableRunnerTests
{
    [Test]
    public void PortableIsOffUnlessAsked()
    {
        Assert.That(RunnerCommand.Parse().Options!.Portable, Is.False);
        Assert.That(RunnerCommand.Parse("W1", "--portable").Options!.Portable, Is.True);
    }

    [Test]
    public void TheChecksumsChildPrintsThePortableRunsLines()
    {
        var output = new StringWriter();
        int exitCode = RunnerCommand.Invoke(["checksums", "--steps", "3", "--workers", "1", "--numerics", "portable"], output, TextWriter.Null);
        string[] lines = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.That(exitCode, Is.Zero);
        Assert.That(lines[0], Does.StartWith("cpu "));
        Assert.That(lines[1..], Is.EqualTo(ChecksumTraining.RunAll(3, workers: 2, NumericsMode.Portable).ToArray()));
    }
}
