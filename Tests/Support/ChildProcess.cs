using System.Diagnostics;
using EcsNeural.Benchmarks;
using EcsNeural.Benchmarks.Reinforcement;
using EcsNeural.Ecs;
using EcsNeural.Systems.Graph;

namespace EcsNeural.Tests.Support;

/// <summary>
/// Scenarios a test runs in a child process of this assembly (<c>dotnet EcsNeural.Tests.dll scenario</c>), for what
/// cannot happen inside the test host, such as an allocation failing under a GC heap limit, or a count of every thread's
/// allocations (the test host's own threads allocate too).
/// </summary>
internal static class ChildProcess
{
    private static readonly Dictionary<string, Action> Scenarios = new()
    {
        // A graph whose 64 MiB arena is valid but more than the process may allocate.
        ["arena-beyond-memory"] = () =>
        {
            using var world = new World();
            ComputeGraph<float> graph = new NeuralRuntime(world).CreateGraph<float>();
            new GraphBuilder(graph).Input(4096, 4096);
            graph.Compile();
        },
        // The benchmark runner's rl suite on a tiny PPO game, quiet, no peer: a line per result, "workload impl bytes/step".
        ["rl-tiny"] = () =>
        {
            var options = new RunnerOptions([], [], Json: null, NoPeer: true, Steps: 4, Workers: 2, BusyThreads: 0);
            foreach (BenchmarkResult result in PpoBenchmark.Run(Tests.Benchmarks.PpoBenchmarkTests.Tiny, options, load: null, TextWriter.Null))
                Console.WriteLine($"{result.Workload} {result.Impl} {result.AllocBytesPerStep} {result.MsMin > 0}");
        },
    };

    public static int Main(string[] args)
    {
        try
        {
            Scenarios[args[0]]();
            Console.WriteLine("completed");
        }
        catch (Exception ex)
        {
            Console.WriteLine($"{ex.GetType().FullName}: {ex.Message}");
        }
        return 0;
    }

    /// <summary>Runs <paramref name="scenario"/> in a child process with <paramref name="environment"/>; returns what it printed.</summary>
    public static string Run(string scenario, params (string Name, string Value)[] environment)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(typeof(ChildProcess).Assembly.Location);
        start.ArgumentList.Add(scenario);
        foreach ((string name, string value) in environment)
            start.Environment[name] = value;
        using Process child = Process.Start(start)!;
        Task<string> error = child.StandardError.ReadToEndAsync();
        string output = child.StandardOutput.ReadToEnd();
        child.WaitForExit();
        return output + error.Result;
    }
}
