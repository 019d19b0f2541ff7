using System.Diagnostics;
using System.Text.Json;
using EcsNeural.Benchmarks.Workloads;

namespace EcsNeural.Benchmarks;

/// <summary>
/// Runs a PyTorch peer script from <c>peer/</c> (<c>pytorch_peer.py</c> for the training-step workloads,
/// <c>pytorch_ppo_peer.py</c> for <c>rl</c>) under <c>/usr/bin/python3</c> and reads its JSON lines. Under a
/// <see cref="BusyLoad"/> the peer alternates quiet and busy rounds as ours do: before each round it prints
/// <c>{"load": "busy"}</c> or <c>{"load": "quiet"}</c> and waits for a line on its stdin, which the runner sends once it
/// has switched the load.
/// </summary>
public static class PeerRunner
{
    private const string Python = "/usr/bin/python3";
    private const int Threads = 2;

    /// <summary>Whether <c>import torch</c> works under <see cref="Python"/>.</summary>
    public static bool TorchAvailable()
    {
        if (!File.Exists(Python))
            return false;
        using Process? probe = Process.Start(new ProcessStartInfo(Python, ["-c", "import torch"])
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
        });
        if (probe is null)
            return false;
        probe.WaitForExit();
        return probe.ExitCode == 0;
    }

    /// <summary>Runs <c>pytorch_peer.py</c> on <paramref name="specs"/>; each result gets GFLOP/s from the same FLOP formula as ours.</summary>
    public static List<BenchmarkResult> Run(IReadOnlyList<WorkloadSpec> specs, int warmup, int steps, BusyLoad? load, TextWriter log)
    {
        var results = new List<BenchmarkResult>();
        foreach (WorkloadSpec spec in specs)
        {
            string[] arguments = ["--spec", $"{spec.Id}={(spec.IsPopulation ? "pop" : "mlp")}:{spec.Count}:{string.Join(',', spec.Widths)}"];
            results.AddRange(RunScript("pytorch_peer.py", arguments, warmup, steps, _ => spec.FlopsPerStep, load, log));
        }
        return results;
    }

    /// <summary>
    /// Runs <c>peer/<paramref name="script"/></c> with <paramref name="arguments"/> and the common ones (warm-up, timed steps,
    /// threads, and the rounds of a busy load); <paramref name="flopsPerStep"/> gives each reported workload id's FLOPs.
    /// </summary>
    public static List<BenchmarkResult> RunScript(string script, IReadOnlyList<string> arguments, int warmup, int steps,
        Func<string, double> flopsPerStep, BusyLoad? load, TextWriter log)
    {
        List<string> all =
        [
            Path.Combine(AppContext.BaseDirectory, "peer", script), .. arguments,
            "--warmup", $"{warmup}", "--steps", $"{steps}", "--threads", $"{Threads}",
        ];
        if (load is not null)
            all.AddRange(["--rounds", Measurement.Rounds.ToString()]);
        var info = new ProcessStartInfo(Python, all) { RedirectStandardOutput = true, RedirectStandardInput = true };
        using Process process = Process.Start(info) ?? throw new InvalidOperationException($"could not start {Python}");
        var results = new List<BenchmarkResult>();
        string? line;
        while ((line = process.StandardOutput.ReadLine()) is not null)
        {
            using JsonDocument document = JsonDocument.Parse(line);
            JsonElement root = document.RootElement;
            if (root.TryGetProperty("load", out JsonElement switchTo))
            {
                load!.Spinning = switchTo.GetString() == "busy";
                process.StandardInput.WriteLine("switched");
                process.StandardInput.Flush();
                continue;
            }
            results.Add(Read(root, flopsPerStep, load, log));
        }
        process.WaitForExit();
        if (load is not null)
            load.Spinning = false;
        if (process.ExitCode != 0)
            log.WriteLine($"  PyTorch peer {script} {string.Join(' ', arguments)} failed (exit code {process.ExitCode}); continuing without it.");
        return results;
    }

    private static BenchmarkResult Read(JsonElement root, Func<string, double> flopsPerStep, BusyLoad? load, TextWriter log)
    {
        string workload = root.GetProperty("workload").GetString()!;
        double median = root.GetProperty("ms_median").GetDouble();
        bool busy = root.TryGetProperty("busy", out JsonElement flag) && flag.GetBoolean();
        var result = new BenchmarkResult(workload, root.GetProperty("impl").GetString()!, median,
            root.GetProperty("ms_min").GetDouble(), root.GetProperty("ms_max").GetDouble(), flopsPerStep(workload) / (median * 1e6), null)
        {
            BusyThreads = busy ? load!.Threads : 0,
        };
        log.WriteLine($"  {result.Workload} {result.Impl}{(busy ? $" [{load!.Threads} busy]" : "")}: {median:F2} ms/step"
            + (root.TryGetProperty("agents_timed", out JsonElement agents) && agents.ValueKind == JsonValueKind.Number
                ? $" (timed on {agents.GetInt32()} agents, scaled to the workload's N)" : ""));
        return result;
    }
}
