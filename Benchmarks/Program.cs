using System.CommandLine;
using System.Runtime.Intrinsics;
using System.Text.Json;
using EcsNeural.Benchmarks;
using EcsNeural.Benchmarks.Ecs;
using EcsNeural.Benchmarks.Workloads;
using EcsNeural.Ecs.Jobs;
using Spectre.Console;

// dotnet run --project Benchmarks -c Release -- [workloads…] [--json PATH] [--no-peer]
//   workloads: W1…W5 (default: all five), "gemm" (FMA peak and single-core GEMM on W5 shapes),
//              "ecs" (ECS iteration, 100,000 entities), "hvp" (Hessian-vector product vs gradient).

var workloadsArgument = new Argument<string[]>("workloads")
{
    Description = "W1…W5 (default all), gemm for the FMA peak and single-core GEMM kernels, ecs for ECS iteration, hvp for Hessian-vector product vs gradient",
    Arity = ArgumentArity.ZeroOrMore,
};
var jsonOption = new Option<FileInfo?>("--json") { Description = "Also write the results as JSON (DESIGN.md shape) to this path" };
var noPeerOption = new Option<bool>("--no-peer") { Description = "Skip the PyTorch peer" };
var stepsOption = new Option<int>("--steps") { Description = "Timed steps per workload", DefaultValueFactory = _ => 15 };
var workersOption = new Option<int>("--workers") { Description = "Job-scheduler workers", DefaultValueFactory = _ => 2 };
var root = new RootCommand("EcsNeural benchmark runner: training steps W1–W5, ours vs PyTorch")
{
    workloadsArgument, jsonOption, noPeerOption, stepsOption, workersOption,
};
root.SetAction(parse => BenchmarkRun.Execute(parse.GetValue(workloadsArgument) ?? [], parse.GetValue(jsonOption),
    parse.GetValue(noPeerOption), parse.GetValue(stepsOption), parse.GetValue(workersOption)));

// soak --minutes M: a population trains while agents spawn and die every tick; a line per minute (EcsNeural.Benchmarks.Soak).
var soakMinutes = new Option<double>("--minutes") { Description = "How long to run", DefaultValueFactory = _ => 30 };
var soakAgents = new Option<int>("--agents") { Description = "Base population (it swings above this)", DefaultValueFactory = _ => 1000 };
var soakWorkers = new Option<int>("--workers") { Description = "Job-scheduler workers", DefaultValueFactory = _ => 2 };
var soak = new Command("soak", "Train a population with agents spawning and dying every tick; print memory and allocation per minute")
{
    soakMinutes, soakAgents, soakWorkers,
};
soak.SetAction(parse => EcsNeural.Benchmarks.Soak.SoakRun.Execute(parse.GetValue(soakMinutes), parse.GetValue(soakAgents),
    parse.GetValue(soakWorkers), Console.Out));
root.Subcommands.Add(soak);

// determinism: span-placement probe and training checksums under reduced instruction sets (EcsNeural.Benchmarks.Determinism);
// checksums: one child run's checksum lines.
var determinismSteps = new Option<int>("--steps") { Description = "Training steps per checksum run", DefaultValueFactory = _ => 200 };
var determinismWorkers = new Option<int>("--workers") { Description = "Job-scheduler workers", DefaultValueFactory = _ => 2 };
var determinism = new Command("determinism", "Show where results depend on more than the inputs: span placement, instruction-set level")
{
    determinismSteps, determinismWorkers,
};
determinism.SetAction(parse => EcsNeural.Benchmarks.Determinism.DeterminismReport.Execute(parse.GetValue(determinismSteps),
    parse.GetValue(determinismWorkers), Console.Out));
root.Subcommands.Add(determinism);
var checksumSteps = new Option<int>("--steps") { Description = "Training steps per run", DefaultValueFactory = _ => 200 };
var checksumWorkers = new Option<int>("--workers") { Description = "Job-scheduler workers", DefaultValueFactory = _ => 2 };
var checksums = new Command("checksums", "Print the checksums of the determinism training runs (the determinism command's child)")
{
    checksumSteps, checksumWorkers,
};
checksums.SetAction(parse => EcsNeural.Benchmarks.Determinism.DeterminismReport.Checksums(parse.GetValue(checksumSteps),
    parse.GetValue(checksumWorkers), Console.Out));
root.Subcommands.Add(checksums);
return root.Parse(args).Invoke();

namespace EcsNeural.Benchmarks
{
    /// <summary>Selects, runs and reports the workloads.</summary>
    internal static class BenchmarkRun
    {
        private const int WarmupSteps = 3;

        public static int Execute(string[] requested, FileInfo? json, bool noPeer, int steps, int workers)
        {
            if (steps < 1 || workers < 1)
            {
                Console.Error.WriteLine($"--steps and --workers must be at least 1 (got {steps}, {workers}).");
                return 2;
            }
            var specs = new List<WorkloadSpec>();
            bool gemm = false;
            bool ecs = false;
            bool hvp = false;
            foreach (string id in requested.Length == 0 ? WorkloadSpec.All.Select(s => s.Id) : requested)
            {
                if (id.Equals("gemm", StringComparison.OrdinalIgnoreCase))
                    gemm = true;
                else if (id.Equals("ecs", StringComparison.OrdinalIgnoreCase))
                    ecs = true;
                else if (id.Equals("hvp", StringComparison.OrdinalIgnoreCase))
                    hvp = true;
                else if (WorkloadSpec.All.FirstOrDefault(s => s.Id.Equals(id, StringComparison.OrdinalIgnoreCase)) is { } spec)
                    specs.Add(spec);
                else
                {
                    Console.Error.WriteLine($"Unknown workload '{id}'. Known: {string.Join(", ", WorkloadSpec.All.Select(s => s.Id))}, gemm, ecs, hvp.");
                    return 2;
                }
            }

            Console.WriteLine($"Machine: {Environment.ProcessorCount} cores, Vector512 {(Vector512.IsHardwareAccelerated ? "yes" : "no")}; "
                + $"{workers} job workers; ≥ {WarmupSteps} warm-up steps (≥ {Measurement.MinimumWarmup.TotalSeconds} s) + {steps} timed steps per workload.");
            var results = new List<BenchmarkResult>();
            using (var scheduler = new JobScheduler(workers))
            {
                foreach (WorkloadSpec spec in specs)
                {
                    Console.WriteLine($"{spec.Id}: {spec.Describe()}, {spec.FlopsPerStep / 1e6:F1} MFLOP/step");
                    foreach (IWorkload workload in Implementations(spec, scheduler))
                    {
                        results.Add(Report(Measurement.Run(workload, WarmupSteps, steps)));
                        if (workload is EngineTrainingStep engine)
                            Console.WriteLine($"    {engine.DescribeMemory()}");
                        (workload as IDisposable)?.Dispose();
                    }
                }
            }
            if (gemm)
            {
                if (Vector512.IsHardwareAccelerated)
                {
                    Console.WriteLine("FMA-PEAK: 16 Vector512 FMA chains, one thread (the one-core ceiling right now)");
                    results.Add(Report(Measurement.Run(new FmaPeakWorkload(), WarmupSteps, steps)));
                }
                foreach (GemmWorkload workload in GemmWorkload.W5Shapes)
                {
                    Console.WriteLine($"{workload.Id}: {workload.Describe()}");
                    results.Add(Report(Measurement.Run(workload, WarmupSteps, steps)));
                }
            }

            if (ecs)
                EcsIterationBenchmark.Run(Console.Out);

            if (hvp)
            {
                using var scheduler = new JobScheduler(workers);
                results.AddRange(HessianVectorWorkload.RunAll(scheduler, WarmupSteps, steps, Console.Out));
            }

            if (!noPeer && specs.Count > 0)
            {
                if (PeerRunner.TorchAvailable())
                {
                    Console.WriteLine("PyTorch peer (/usr/bin/python3, torch.set_num_threads(2)):");
                    results.AddRange(PeerRunner.Run(specs, WarmupSteps, _ => steps, Console.Out));
                }
                else
                    Console.WriteLine("PyTorch peer skipped: `import torch` fails under /usr/bin/python3. Install it with "
                        + "`apt-get install python3-torch libopenblas0-pthread` (Debian) to compare.");
            }

            if (results.Count > 0)   // `ecs` alone prints its own table
                PrintTable(results);
            if (json is not null)
                WriteJson(json, results);
            return 0;
        }

        private static IEnumerable<IWorkload> Implementations(WorkloadSpec spec, JobScheduler scheduler)
        {
            yield return new EngineTrainingStep(spec, scheduler);
            if (!spec.IsPopulation)
            {
                yield return new KernelMlpStep(spec, scheduler);
                yield break;
            }
            yield return new EnginePopulationStep(spec, scheduler);
            yield return new KernelPopulationStep(spec, scheduler);
            if (Vector512.IsHardwareAccelerated)
                yield return new InterleavedPopulationStep(spec, scheduler);
        }

        private static BenchmarkResult Report(BenchmarkResult result)
        {
            Console.WriteLine($"  {result.Impl}: median {result.MsMedian:F3} ms/step, {result.Gflops:F1} GFLOP/s, "
                + $"{result.AllocBytesPerStep:F0} B allocated/step");
            return result;
        }

        private static void PrintTable(List<BenchmarkResult> results)
        {
            var table = new Table().AddColumns("workload", "impl", "median ms", "min ms", "max ms", "GFLOP/s", "alloc B/step", "× PyTorch time");
            foreach (BenchmarkResult r in results)
            {
                BenchmarkResult? peer = results.FirstOrDefault(p => p.Workload == r.Workload && p.Impl == "pytorch");
                string ratio = peer is null || r.Impl.StartsWith("pytorch", StringComparison.Ordinal) ? "" : $"{r.MsMedian / peer.MsMedian:F3}";
                table.AddRow(r.Workload, r.Impl, $"{r.MsMedian:F3}", $"{r.MsMin:F3}", $"{r.MsMax:F3}", $"{r.Gflops:F1}",
                    r.AllocBytesPerStep is { } alloc ? $"{alloc:F0}" : "–", ratio);
            }
            if (Console.IsOutputRedirected)
                AnsiConsole.Profile.Width = 160;   // redirected output: do not wrap the table at 80 columns
            AnsiConsole.Write(table);
        }

        private static void WriteJson(FileInfo path, List<BenchmarkResult> results)
        {
            var document = new
            {
                machine = new { cores = Environment.ProcessorCount, vector_bits = VectorBits() },
                results,
            };
            File.WriteAllText(path.FullName, JsonSerializer.Serialize(document, new JsonSerializerOptions { WriteIndented = true }));
            Console.WriteLine($"Wrote {path.FullName}");
        }

        private static int VectorBits()
            => Vector512.IsHardwareAccelerated ? 512 : Vector256.IsHardwareAccelerated ? 256 : Vector128.IsHardwareAccelerated ? 128 : 0;
    }
}
