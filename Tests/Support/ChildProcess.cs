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
        // GEMMs of every transpose and a few shapes (wide, narrow, deep) against the float64 reference: run under a reduced
        // instruction set, the packed path with its 512-bit lanes emulated, or the plain row loop.
        ["gemm-reference"] = () =>
        {
            var rng = new Random(21);
            foreach ((int m, int n, int k) in new[] { (70, 130, 257), (300, 10, 200), (64, 64, 600), (5, 3, 7) })
                foreach (bool ta in new[] { false, true })
                    foreach (bool tb in new[] { false, true })
                    {
                        float[] a = Kernels.ReferenceMath.Random<float>(rng, m * k), b = Kernels.ReferenceMath.Random<float>(rng, k * n);
                        float[] c = Kernels.ReferenceMath.Random<float>(rng, m * n);
                        var (expected, absSum) = Kernels.ReferenceMath.Multiply(a, ta, b, tb, c, m, n, k);
                        EcsNeural.Systems.Kernels.Gemm.Multiply<float>(a, ta, b, tb, c, m, n, k, accumulate: true);
                        Kernels.ReferenceMath.AssertClose<float>(c, expected, absSum, k + 1, $"m={m} n={n} k={k} ta={ta} tb={tb}");
                    }
            Console.WriteLine("all close");
        },
        // The interleaved layout's bit-for-bit checks against the contiguous one, on whatever vectors the process has.
        ["interleaved-layout"] = () => Console.WriteLine(Population.InterleavedLayoutTests.CheckBothLayouts()),
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
