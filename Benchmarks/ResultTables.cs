using Spectre.Console;

namespace EcsNeural.Benchmarks;

/// <summary>The tables printed at the end of a run: every result, and under load the quiet and busy medians side by side.</summary>
public static class ResultTables
{
    /// <summary>Prints the results table, and the load comparison when some rows were timed under busy threads.</summary>
    public static void Print(IReadOnlyList<BenchmarkResult> results, TextWriter log)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(log) });
        if (log != Console.Out || Console.IsOutputRedirected)
            console.Profile.Width = 160;   // redirected output: do not wrap the tables at 80 columns
        bool underLoad = results.Any(r => r.BusyThreads > 0);

        var table = new Table().AddColumns("workload", "impl");
        if (underLoad)
            table.AddColumn("busy threads");
        table.AddColumns("median ms", "min ms", "max ms", "GFLOP/s", "alloc B/step", "× PyTorch time");
        foreach (BenchmarkResult r in results)
        {
            var cells = new List<string> { r.Workload, r.Impl };
            if (underLoad)
                cells.Add($"{r.BusyThreads}");
            cells.AddRange([$"{r.MsMedian:F3}", $"{r.MsMin:F3}", $"{r.MsMax:F3}", $"{r.Gflops:F1}",
                r.AllocBytesPerStep is { } alloc ? $"{alloc:F0}" : "–", RatioToPeer(results, r)]);
            table.AddRow(cells.ToArray());
        }
        console.Write(table);
        PrintPortableCost(results, console);

        if (!underLoad)
            return;
        int threads = results.First(r => r.BusyThreads > 0).BusyThreads;
        console.WriteLine($"Quiet against {threads} busy thread(s), medians of the same alternating rounds:");
        var comparison = new Table().AddColumns("workload", "impl", "quiet ms", "busy ms", "busy ÷ quiet", "× PyTorch quiet", "× PyTorch busy");
        foreach (BenchmarkResult quiet in results.Where(r => r.BusyThreads == 0))
        {
            BenchmarkResult? busy = results.FirstOrDefault(r => r.Workload == quiet.Workload && r.Impl == quiet.Impl && r.BusyThreads > 0);
            if (busy is null)
                continue;
            comparison.AddRow(quiet.Workload, quiet.Impl, $"{quiet.MsMedian:F3}", $"{busy.MsMedian:F3}", $"{busy.MsMedian / quiet.MsMedian:F2}",
                RatioToPeer(results, quiet), RatioToPeer(results, busy));
        }
        console.Write(comparison);
    }

    // The portable mode's median beside the default's, same workload and load (only when --portable timed it).
    private static void PrintPortableCost(IReadOnlyList<BenchmarkResult> results, IAnsiConsole console)
    {
        var table = new Table().AddColumns("workload", "busy threads", "ours ms", "ours-portable ms", "portable ÷ default");
        foreach (BenchmarkResult portable in results.Where(r => r.Impl == "ours-portable"))
        {
            BenchmarkResult? fast = results.FirstOrDefault(r => r.Workload == portable.Workload && r.Impl == "ours" && r.BusyThreads == portable.BusyThreads);
            if (fast is not null)
                table.AddRow(portable.Workload, $"{portable.BusyThreads}", $"{fast.MsMedian:F3}", $"{portable.MsMedian:F3}", $"{portable.MsMedian / fast.MsMedian:F2}");
        }
        if (table.Rows.Count == 0)
            return;
        console.WriteLine("Portable numerics (the same bits on every CPU) against the default, medians:");
        console.Write(table);
    }

    // Our median over PyTorch's, same workload and load; empty for the peer's own rows or without a peer.
    private static string RatioToPeer(IReadOnlyList<BenchmarkResult> results, BenchmarkResult row)
    {
        if (row.Impl.StartsWith("pytorch", StringComparison.Ordinal))
            return "";
        BenchmarkResult? peer = results.FirstOrDefault(p => p.Workload == row.Workload && p.Impl == "pytorch" && p.BusyThreads == row.BusyThreads);
        return peer is null ? "" : $"{row.MsMedian / peer.MsMedian:F3}";
    }
}
