using System.Diagnostics;
using System.Text.Json;
using EcsNeural.Benchmarks.Workloads;

namespace EcsNeural.Benchmarks;

/// <summary>
/// Runs <c>peer/pytorch_peer.py</c> under <c>/usr/bin/python3</c> and reads its JSON lines. Under a
/// <see cref="BusyLoad"/> the peer alternates quiet and busy rounds as ours do: before each round it prints
/// <c>{"load": "busy"}</c> or <c>{"load": "quiet"}</c> and waits for a line on its stdin, which the runner sends once it
/// has switched the load.
/// </summary>
public static class PeerRunner
{
    private const string Python = "/usr/bin/python3";

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

    /// <summary>Runs the peer on <paramref name="specs"/>; each result gets GFLOP/s from the same FLOP formula as ours.</summary>
    public static List<BenchmarkResult> Run(IReadOnlyList<WorkloadSpec> specs, int warmup, int steps, BusyLoad? load, TextWriter log)
    {
        string script = Path.Combine(AppContext.BaseDirectory, "peer", "pytorch_peer.py");
        var results = new List<BenchmarkResult>();
        foreach (WorkloadSpec spec in specs)
        {
            var arguments = new List<string>
            {
                script, "--spec", $"{spec.Id}={(spec.IsPopulation ? "pop" : "mlp")}:{spec.Count}:{string.Join(',', spec.Widths)}",
                "--warmup", warmup.ToString(), "--steps", steps.ToString(), "--threads", "2",
            };
            if (load is not null)
                arguments.AddRange(["--rounds", Measurement.Rounds.ToString()]);
            var info = new ProcessStartInfo(Python, arguments) { RedirectStandardOutput = true, RedirectStandardInput = true };
            using Process process = Process.Start(info) ?? throw new InvalidOperationException($"could not start {Python}");
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
                results.Add(Read(root, spec, load, log));
            }
            process.WaitForExit();
            if (load is not null)
                load.Spinning = false;
            if (process.ExitCode != 0)
                log.WriteLine($"  PyTorch peer failed on {spec.Id} (exit code {process.ExitCode}); continuing without it.");
        }
        return results;
    }

    private static BenchmarkResult Read(JsonElement root, WorkloadSpec spec, BusyLoad? load, TextWriter log)
    {
        double median = root.GetProperty("ms_median").GetDouble();
        bool busy = root.TryGetProperty("busy", out JsonElement flag) && flag.GetBoolean();
        var result = new BenchmarkResult(root.GetProperty("workload").GetString()!, root.GetProperty("impl").GetString()!, median,
            root.GetProperty("ms_min").GetDouble(), root.GetProperty("ms_max").GetDouble(), spec.FlopsPerStep / (median * 1e6), null)
        {
            BusyThreads = busy ? load!.Threads : 0,
        };
        log.WriteLine($"  {result.Workload} {result.Impl}{(busy ? $" [{load!.Threads} busy]" : "")}: {median:F2} ms/step"
            + (root.GetProperty("agents_timed").ValueKind == JsonValueKind.Number
                ? $" (timed on {root.GetProperty("agents_timed").GetInt32()} agents, scaled to N={spec.Count:N0})" : ""));
        return result;
    }
}
