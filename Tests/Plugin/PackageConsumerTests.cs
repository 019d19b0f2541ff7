using System.Diagnostics;
using System.IO.Compression;
using System.Runtime.InteropServices;
using EcsNeural.Tests.Support;

namespace EcsNeural.Tests.Plugin;

/// <summary>
/// <c>dotnet pack</c> makes the EcsNeural.* packages (both target frameworks, licence, readme, symbols), and a tiny console
/// project outside the repository restores them from a local folder source, builds and runs the README's sample against
/// them: once as a .NET 10 app, once as a real .NET 8 app (self-contained, with the .NET 8 runtime pack from NuGet, since
/// the machine has only the .NET 10 runtime), as a Godot 4 game would consume them.
/// </summary>
[Slow]
public class PackageConsumerTests
{
    private static readonly string[] Packages = ["Ecs", "Components", "Systems", "Plugin"];
    private static readonly string[] Frameworks = ["net8.0", "net10.0"];

    private DirectoryInfo _work = null!;
    private string _feed = null!;
    private string _packOutput = "";

    [OneTimeSetUp]
    public void Pack()
    {
        _work = Directory.CreateTempSubdirectory("ecsneural-nuget-");
        _feed = Directory.CreateDirectory(Path.Combine(_work.FullName, "feed")).FullName;
        // Built here rather than trusted to be: a run of Tests.csproj alone builds the libraries for net10.0 only.
        foreach (string project in Packages)
            _packOutput += Dotnet(RepositoryRoot.Path, "pack", $"{project}/{project}.csproj", "-c", "Release", "-o", _feed);
    }

    [OneTimeTearDown]
    public void Delete() => _work.Delete(recursive: true);

    [Test]
    public void EveryPackageHoldsBothFrameworksTheLicenceAReadmeAndSymbolsWithoutPackWarnings()
    {
        Assert.That(Directory.GetFiles(_feed, "*.nupkg").Select(Path.GetFileName).Order(),
            Is.EqualTo(Packages.Select(p => $"EcsNeural.{p}.0.1.0.nupkg").Order()));
        Assert.That(_packOutput, Does.Not.Contain("warning"), "dotnet pack warns about nothing (no readme, licence, ...)");
        foreach (string package in Packages)
        {
            string assembly = $"EcsNeural.{package}";
            using ZipArchive nupkg = ZipFile.OpenRead(Path.Combine(_feed, $"{assembly}.0.1.0.nupkg"));
            string[] entries = [.. nupkg.Entries.Select(e => e.FullName)];
            foreach (string framework in Frameworks)
                Assert.That(entries, Does.Contain($"lib/{framework}/{assembly}.dll").And.Contain($"lib/{framework}/{assembly}.xml"), assembly);
            Assert.That(entries, Does.Contain("LICENSE").And.Contain("README.md"), assembly);
            Assert.That(entries.Where(e => e.StartsWith("analyzers/", StringComparison.Ordinal)), Is.Empty, "the ECS generator runs at our build only");
            using (var reader = new StreamReader(nupkg.GetEntry($"{assembly}.nuspec")!.Open()))
            {
                string nuspec = reader.ReadToEnd();
                Assert.That(nuspec, Does.Contain("<license type=\"expression\">MIT</license>").And.Contain("<readme>README.md</readme>"), assembly);
                Assert.That(nuspec, Does.Not.Contain("Generators"), assembly);
            }
            using (var reader = new StreamReader(nupkg.GetEntry("LICENSE")!.Open()))
                Assert.That(reader.ReadToEnd(), Is.EqualTo(File.ReadAllText(Path.Combine(RepositoryRoot.Path, "LICENSE"))));

            using ZipArchive snupkg = ZipFile.OpenRead(Path.Combine(_feed, $"{assembly}.0.1.0.snupkg"));
            foreach (string framework in Frameworks)
                Assert.That(snupkg.Entries.Select(e => e.FullName), Does.Contain($"lib/{framework}/{assembly}.pdb"), assembly);
        }
    }

    [TestCase("net8.0")]
    [TestCase("net10.0")]
    public void ConsumerProjectRunsAgainstThePackedPackages(string framework)
    {
        string consumer = Directory.CreateDirectory(Path.Combine(_work.FullName, $"consumer-{framework}")).FullName;
        WriteConsumer(consumer, framework, _feed, Path.Combine(_work.FullName, "packages"));
        // nuget.org is there as the normal source, but an offline machine must not fail: the local sources suffice.
        Dotnet(consumer, "restore", "--ignore-failed-sources");
        string output = Dotnet(consumer, "run", "-c", "Release", "--no-restore", "--", consumer);

        Assert.That(output, Does.Contain($"consumer runtime {(framework == "net8.0" ? "8." : "10.")}"), "the app ran on its own framework's runtime");
        Assert.That(output, Does.Contain("consumer return "));
        double meanReturn = double.Parse(output[(output.IndexOf("consumer return ", StringComparison.Ordinal) + 16)..].Split('\n')[0].Trim(),
            System.Globalization.CultureInfo.InvariantCulture);
        Assert.That(meanReturn, Is.GreaterThan(0.85), "the reward sample learned in the consumer too");
        Assert.That(output, Does.Contain("consumer loss "));
        float loss = float.Parse(output[(output.IndexOf("consumer loss ", StringComparison.Ordinal) + 14)..].Split('\n')[0].Trim(),
            System.Globalization.CultureInfo.InvariantCulture);
        Assert.That(loss, Is.LessThan(0.02f));
        Assert.That(File.Exists(Path.Combine(consumer, "agent0.onnx")));
    }

    /// <summary>
    /// The consumer: its own NuGet.config (the packed folder, the machine's package cache as a second local source, the
    /// normal source; a private global packages folder so a re-pack is never shadowed by a cached 0.1.0), and its own empty
    /// Directory.Build.props / Directory.Packages.props so nothing of ours leaks in. A net8.0 consumer is self-contained:
    /// it carries the .NET 8 runtime (a NuGet runtime pack) and so runs where only a newer runtime is installed.
    /// </summary>
    private static void WriteConsumer(string folder, string framework, string feed, string packages)
    {
        string cache = Environment.GetEnvironmentVariable("NUGET_PACKAGES")
            ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        File.WriteAllText(Path.Combine(folder, "NuGet.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <config><add key="globalPackagesFolder" value="{packages}" /></config>
              <packageSources>
                <clear />
                <add key="ecsneural-packed" value="{feed}" />
                <add key="machine-cache" value="{cache}" />
                <add key="nuget.org" value="https://api.nuget.org/v3/index.json" />
              </packageSources>
            </configuration>
            """);
        File.WriteAllText(Path.Combine(folder, "Directory.Build.props"), "<Project />\n");
        File.WriteAllText(Path.Combine(folder, "Directory.Packages.props"),
            "<Project><PropertyGroup><ManagePackageVersionsCentrally>false</ManagePackageVersionsCentrally></PropertyGroup></Project>\n");
        string selfContained = framework == "net8.0"
            ? $"<RuntimeIdentifier>{RuntimeInformation.RuntimeIdentifier}</RuntimeIdentifier><SelfContained>true</SelfContained>"
            : "";
        File.WriteAllText(Path.Combine(folder, "Consumer.csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>{framework}</TargetFramework>
                <Nullable>enable</Nullable>
                <ImplicitUsings>enable</ImplicitUsings>
                {selfContained}
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="EcsNeural.Plugin" Version="0.1.0" />
              </ItemGroup>
            </Project>
            """);
        foreach (string sample in new[] { "EmbedSample.cs", "PopulationSample.cs" })
            File.Copy(Path.Combine(RepositoryRoot.Path, "Tests", "Plugin", sample), Path.Combine(folder, sample));
        File.WriteAllText(Path.Combine(folder, "Program.cs"),
            "Console.WriteLine($\"consumer runtime {Environment.Version}\");\n" +
            "double meanReturn = MyGame.EmbedSample.Run(args[0]);\nConsole.WriteLine(FormattableString.Invariant($\"consumer return {meanReturn}\"));\n" +
            "float loss = MyGame.PopulationSample.Run(args[0]);\nConsole.WriteLine(FormattableString.Invariant($\"consumer loss {loss}\"));\n");
    }

    /// <summary>Runs the dotnet CLI without build servers (so nothing outlives the test) and returns its output; fails on a non-zero exit.</summary>
    private static string Dotnet(string workingDirectory, params string[] arguments)
    {
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (string argument in arguments)
            start.ArgumentList.Add(argument);
        if (arguments[0] is "pack" or "run" or "restore")
            start.ArgumentList.Insert(1, "--disable-build-servers");
        foreach (string key in start.Environment.Keys.Where(k => k.StartsWith("MSBuild", StringComparison.OrdinalIgnoreCase)
                     || k.StartsWith("VSTEST", StringComparison.OrdinalIgnoreCase)).ToArray())
            start.Environment.Remove(key);   // the test host's MSBuild settings belong to our build, not the consumer's
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        start.Environment["MSBUILDDISABLENODEREUSE"] = "1";
        start.Environment["UseSharedCompilation"] = "false";
        using Process process = Process.Start(start)!;
        Task<string> stdout = process.StandardOutput.ReadToEndAsync(), stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromSeconds(300)))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"dotnet {string.Join(' ', arguments)} in {workingDirectory} did not finish within 300 s.");
        }
        process.WaitForExit();
        string output = stdout.Result + stderr.Result;
        if (process.ExitCode != 0)
            Assert.Fail($"dotnet {string.Join(' ', arguments)} in {workingDirectory} exited with {process.ExitCode}:\n{output}");
        return output;
    }
}
