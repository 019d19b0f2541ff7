using System.Diagnostics;
using EcsNeural.Demo.Cli;
using EcsNeural.Tests.Support;

namespace EcsNeural.Tests.Demo;

/// <summary>
/// The real window, under a virtual X server: the demo must open a GLFW/OpenGL window, draw through
/// Skia's GPU backend and save what the window showed. Needs xvfb-run, libglfw3 and Mesa (setup.sh).
/// </summary>
[Slow]
public class WindowSmokeTests
{
    [Test]
    public void WindowOpensAndShowsAFrame()
    {
        string xvfbRun = FindOnPath("xvfb-run")
            ?? throw new AssertionException("xvfb-run is not installed, so the window cannot be tested: run ./setup.sh (it installs xvfb, libglfw3 and Mesa).");
        string directory = Directory.CreateTempSubdirectory("ecsneural-window-").FullName;
        try
        {
            string screenshot = Path.Combine(directory, "window.png");
            var start = new ProcessStartInfo(xvfbRun)
            {
                RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
            };
            foreach (string arg in (string[])["-a", "-s", "-screen 0 1280x800x24", "dotnet", DemoAssembly(),
                         "--agents", "64", "--seconds", "4", "--screenshot", screenshot, "--out", directory])
                start.ArgumentList.Add(arg);
            using Process process = Process.Start(start)!;
            Task<string> stdout = process.StandardOutput.ReadToEndAsync(), stderr = process.StandardError.ReadToEndAsync();
            bool exited = process.WaitForExit(TimeSpan.FromSeconds(90));
            if (!exited) process.Kill(entireProcessTree: true);
            string output = stdout.Result + stderr.Result;

            Assert.That(exited, Is.True, $"the windowed demo did not quit by itself after --seconds 4:\n{output}");
            Assert.That(process.ExitCode, Is.Zero, $"the windowed demo failed:\n{output}");
            Assert.That(output, Does.Not.Contain("No window"), $"the demo fell back to headless:\n{output}");
            Assert.That(output, Does.Contain("screenshot of the window saved"), output);
            Assert.That(PngInspection.DistinctColours(screenshot), Is.GreaterThan(200), "the window's frame looks blank");
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Test]
    public void WithoutADisplayTheDemoSaysWhyAndRunsHeadless()
    {
        string directory = Directory.CreateTempSubdirectory("ecsneural-nodisplay-").FullName;
        try
        {
            var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (string arg in (string[])[DemoAssembly(), "--agents", "8", "--ticks", "20", "--frames-every", "0", "--no-teacher-baseline", "--out", directory])
                start.ArgumentList.Add(arg);
            start.Environment.Remove("DISPLAY");
            start.Environment.Remove("WAYLAND_DISPLAY");
            using Process process = Process.Start(start)!;
            Task<string> stdout = process.StandardOutput.ReadToEndAsync(), stderr = process.StandardError.ReadToEndAsync();
            Assert.That(process.WaitForExit(TimeSpan.FromSeconds(60)), Is.True, "the demo did not finish");
            string output = stdout.Result + stderr.Result;

            Assert.That(process.ExitCode, Is.Zero, output);
            Assert.That(output, Does.Contain("No window: no display"), output);
            Assert.That(File.Exists(Path.Combine(directory, "summary.json")), Is.True, output);
            Assert.That(File.Exists(Path.Combine(directory, "frame-000020.png")), Is.True, output);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    /// <summary>The demo's own build output (its runtimeconfig makes it runnable with <c>dotnet</c>).</summary>
    private static string DemoAssembly()
    {
        string copied = typeof(DemoCommandLine).Assembly.Location;
        if (File.Exists(Path.ChangeExtension(copied, ".runtimeconfig.json"))) return copied;
        // the test's copy may lack the runtimeconfig: use the Demo project's own output of the same configuration
        string configuration = new DirectoryInfo(Path.GetDirectoryName(copied)!).Parent!.Name;
        DirectoryInfo? root = new(Path.GetDirectoryName(copied)!);
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "Ecs.sln"))) root = root.Parent;
        Assert.That(root, Is.Not.Null, $"could not find the repository above {copied}");
        string own = Path.Combine(root!.FullName, "Demo", "bin", configuration, "net10.0", "EcsNeural.Demo.dll");
        Assert.That(File.Exists(own), Is.True, $"the demo is not built at {own}");
        return own;
    }

    private static string? FindOnPath(string program) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, program)).FirstOrDefault(File.Exists);
}
