using System.Text.RegularExpressions;
using Microsoft.ML.OnnxRuntime;

namespace EcsNeural.Tests.Plugin;

/// <summary>
/// The README's code is compiled here and works: "Embed it in your game" is EmbedSample.cs (agents learning from reward),
/// "Networks that learn from targets" is PopulationSample.cs (a network per agent, supervised).
/// </summary>
public class EmbedSampleTests
{
    [TestCase("## Embed it in your game", "EmbedSample.cs")]
    [TestCase("### Networks that learn from targets", "PopulationSample.cs")]
    public void ReadmeSectionShowsExactlyTheCompiledSample(string heading, string file)
    {
        string readme = File.ReadAllText(Path.Combine(RepositoryRoot.Path, "README.md"));
        Match section = Regex.Match(readme, Regex.Escape(heading) + @"\n.*?```csharp\n(.*?)```", RegexOptions.Singleline);
        string sample = File.ReadAllText(Path.Combine(RepositoryRoot.Path, "Tests", "Plugin", file));

        Assert.That(section.Success, $"README.md has a \"{heading}\" section with a csharp code block");
        Assert.That(Normalize(section.Groups[1].Value), Is.EqualTo(Normalize(sample)));
    }

    [Test]
    public void RewardSampleLearnsToWalkToTheGoalAndSavesItsPolicy()
    {
        DirectoryInfo folder = Directory.CreateTempSubdirectory("ecsneural-embed-");
        try
        {
            double meanReturn = MyGame.EmbedSample.Run(folder.FullName);

            // Walking straight at full speed takes about 6 steps on average (return ≈ 0.93); random steps rarely arrive.
            Assert.That(meanReturn, Is.GreaterThan(0.85), "mean return of the last episodes");
            Assert.That(File.Exists(Path.Combine(folder.FullName, "policy.ckpt")));
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    [Test]
    public void PopulationSampleTrainsItsAgentsAndWritesACheckpointAndAnOnnxModel()
    {
        DirectoryInfo folder = Directory.CreateTempSubdirectory("ecsneural-embed-");
        try
        {
            float loss = MyGame.PopulationSample.Run(folder.FullName);

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
