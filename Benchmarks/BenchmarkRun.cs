using System.Runtime.Intrinsics;
using System.Text.Json;
using EcsNeural.Benchmarks.Workloads;
using EcsNeural.Ecs.Jobs;
using EcsNeural.Systems.Graph;
using EcsNeural.Systems.Kernels;

namespace EcsNeural.Benchmarks;

/// <summary>Runs what the options ask for, prints each result as it comes and the tables at the end.</summary>
public static class BenchmarkRun
{
    /// <summary>Untimed steps before timing (at least; see <see cref="Measurement.MinimumWarmup"/>).</summary>
    public const int WarmupSteps = 3;

    /// <summary>Runs <paramref name="options"/>; returns the process exit code.</summary>
    public static int Execute(RunnerOptions options, TextWriter log)
    {
        log.WriteLine($"Machine: {Environment.ProcessorCount} cores, Vector512 {(Vector512.IsHardwareAccelerated ? "yes" : "no")}; "
            + $"{options.Workers} job workers; ≥ {WarmupSteps} warm-up steps (≥ {Measurement.MinimumWarmup.TotalSeconds} s) + {options.Steps} timed steps per workload"
            + (options.BusyThreads > 0 ? $", quiet and with {options.BusyThreads} busy thread(s) in {Measurement.Rounds} alternating rounds." : "."));
        var results = new List<BenchmarkResult>();
        using var load = options.BusyThreads > 0 ? new BusyLoad(options.BusyThreads) : null;
        using (var scheduler = new JobScheduler(options.Workers))
        {
            foreach (WorkloadSpec spec in options.Workloads)
            {
                log.WriteLine($"{spec.Id}: {spec.Describe()}, {spec.FlopsPerStep / 1e6:F1} MFLOP/step");
                IWorkload[] workloads = [.. Implementations(spec, scheduler, options.Portable)];
                try
                {
                    results.AddRange(Time(workloads, options.Steps, load, log));
                    foreach (EngineTrainingStep engine in workloads.OfType<EngineTrainingStep>())
                        log.WriteLine($"    {engine.Impl}: {engine.DescribeMemory()}");
                }
                finally
                {
                    foreach (IWorkload workload in workloads)
                        (workload as IDisposable)?.Dispose();
                }
            }
        }
        foreach (BenchmarkSuite suite in options.Suites)
            results.AddRange(suite.Run(options, load, log));

        if (!options.NoPeer && options.Workloads.Count > 0 && PeerAvailable(log))
            results.AddRange(PeerRunner.Run(options.Workloads, WarmupSteps, options.Steps, load, log));

        if (results.Count > 0)   // `ecs` alone prints its own table
            ResultTables.Print(results, log);
        if (options.Json is not null)
            WriteJson(options.Json, results, log);
        return 0;
    }

    /// <summary>
    /// Times <paramref name="workloads"/> quiet, or quiet and busy under <paramref name="load"/>, in alternating rounds
    /// (<see cref="Measurement.RunInRounds"/>); prints and returns the rows.
    /// </summary>
    public static BenchmarkResult[] Time(IReadOnlyList<IWorkload> workloads, int steps, BusyLoad? load, TextWriter log)
    {
        BenchmarkResult[] results = Measurement.RunInRounds(workloads, WarmupSteps, steps, load);
        foreach (BenchmarkResult result in results)
            Report(result, log);
        return results;
    }

    /// <summary>Whether the PyTorch peer can run (<c>import torch</c> works); prints what is next, or how to install it.</summary>
    public static bool PeerAvailable(TextWriter log)
    {
        if (PeerRunner.TorchAvailable())
        {
            log.WriteLine("PyTorch peer (/usr/bin/python3, torch.set_num_threads(2)):");
            return true;
        }
        log.WriteLine("PyTorch peer skipped: `import torch` fails under /usr/bin/python3. Install it with "
            + "`apt-get install python3-torch libopenblas0-pthread` (Debian) to compare.");
        return false;
    }

    /// <summary>Prints one result line and returns the result.</summary>
    public static BenchmarkResult Report(BenchmarkResult result, TextWriter log)
    {
        string load = result.BusyThreads > 0 ? $" [{result.BusyThreads} busy]" : "";
        log.WriteLine($"  {result.Impl}{load}: median {result.MsMedian:F3} ms/step, {result.Gflops:F1} GFLOP/s, "
            + $"{result.AllocBytesPerStep:F0} B allocated/step");
        return result;
    }

    /// <summary>What a workload is timed as: the engine (and, with <c>--portable</c>, the engine in portable numerics); for a
    /// population also one network per agent through the agent components, and the engine forced to the contiguous layout.</summary>
    private static IEnumerable<IWorkload> Implementations(WorkloadSpec spec, JobScheduler scheduler, bool portable)
    {
        yield return new EngineTrainingStep(spec, scheduler);
        if (portable)
            yield return new EngineTrainingStep(spec, scheduler, NumericsMode.Portable);
        if (!spec.IsPopulation)
            yield break;
        yield return new EnginePopulationStep(spec, scheduler);
        yield return new EngineTrainingStep(spec, scheduler, layout: InstanceLayout.Contiguous);
    }

    private static void WriteJson(FileInfo path, List<BenchmarkResult> results, TextWriter log)
    {
        var document = new
        {
            machine = new { cores = Environment.ProcessorCount, vector_bits = VectorBits() },
            results,
        };
        File.WriteAllText(path.FullName, JsonSerializer.Serialize(document, new JsonSerializerOptions { WriteIndented = true }));
        log.WriteLine($"Wrote {path.FullName}");
    }

    private static int VectorBits()
        => Vector512.IsHardwareAccelerated ? 512 : Vector256.IsHardwareAccelerated ? 256 : Vector128.IsHardwareAccelerated ? 128 : 0;
}
