using System.Text.RegularExpressions;
using Microsoft.ML.OnnxRuntime;

namespace EcsNeural.Tests.Plugin;

/// <summary>The README's "Embed it in your game" code is this project's EmbedSample.cs, compiled here, and it works.</summary>
public class EmbedSampleTests
{
    [Test]
    public void ReadmeSectionShowsExactlyTheCompiledSample()
    {
        string readme = File.ReadAllText(Path.Combine(RepositoryRoot.Path, "README.md"));
        Match section = Regex.Match(readme, @"## Embed it in your game\n.*?```csharp\n(.*?)```", RegexOptions.Singleline);
        string sample = File.ReadAllText(Path.Combine(RepositoryRoot.Path, "Tests", "Plugin", "EmbedSample.cs"));

        Assert.That(section.Success, "README.md has an \"Embed it in your game\" section with a csharp code block");
        Assert.That(Normalize(section.Groups[1].Value), Is.EqualTo(Normalize(sample)));
    }

    [Test]
    public void SampleTrainsItsAgentsAndWritesACheckpointAndAnOnnxModel()
    {
        DirectoryInfo folder = Directory.CreateTempSubdirectory("ecsneural-embed-");
        try
        {
            float loss = MyGame.EmbedSample.Run(folder.FullName);

            Assert.That(loss, Is.LessThan(0.02f), "mean squared error of (a − b)/2, whose variance is about 0.25");
            Assert.That(File.Exists(Path.Combine(folder.FullName, "brains.ckpt")));
            using var session = new InferenceSession(Path.Combine(folder.FullName, "agent0.onnx"));
            Assert.That(session.InputMetadata["input"].Dimensions, Is.EqualTo(new[] { -1, 2 }));   // a dynamic batch: 1 or N samples
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    private static string Normalize(string text) => text.Replace("\r\n", "\n").TrimEnd();
}
