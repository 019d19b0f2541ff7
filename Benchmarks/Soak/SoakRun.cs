using System.Diagnostics;

namespace EcsNeural.Benchmarks.Soak;

/// <summary>
/// <c>soak --minutes M</c>: runs a <see cref="ChurnWorld"/> for M minutes and prints a line per minute — ticks, managed
/// heap, working set, GC counts and bytes allocated per tick in that minute — so a leak or a per-tick allocation shows as
/// a trend. The first minute includes warm-up (JIT, pools growing to their size).
/// </summary>
public static class SoakRun
{
    public static int Execute(double minutes, int agents, int workers, TextWriter output)
    {
        if (minutes <= 0 || agents < 64 || workers < 1)
        {
            Console.Error.WriteLine($"soak: --minutes must be positive, --agents at least 64 and --workers at least 1 (got {minutes}, {agents}, {workers}).");
            return 2;
        }
        using var world = new ChurnWorld(agents, workers);
        output.WriteLine($"Soak: {agents}–{agents + ChurnWorld.Swing} agents (16-32-32-4, Adam), {ChurnWorld.ChurnPerTick}+ die and spawn every tick, "
            + $"{workers} workers, {minutes} min; one line per minute.");
        output.WriteLine("minute  ticks  ticks/s  agents  heap MB  working set MB  gen0 gen1 gen2  bytes/tick  mean loss");
        var clock = Stopwatch.StartNew();
        TimeSpan end = TimeSpan.FromMinutes(minutes);
        long lastTicks = 0;
        for (int minute = 1; clock.Elapsed < end; minute++)
        {
            TimeSpan lineAt = TimeSpan.FromMinutes(Math.Min(minute, minutes));
            long allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
            TimeSpan started = clock.Elapsed;
            while (clock.Elapsed < lineAt)
                world.Tick();
            long allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
            long ticks = world.Ticks - lastTicks;
            lastTicks = world.Ticks;
            output.WriteLine($"{minute,6}  {world.Ticks,5}  {ticks / (clock.Elapsed - started).TotalSeconds,7:F0}  {world.Agents,6}  "
                + $"{GC.GetTotalMemory(false) / 1e6,7:F1}  {Environment.WorkingSet / 1e6,14:F1}  {GC.CollectionCount(0),4} {GC.CollectionCount(1),4} "
                + $"{GC.CollectionCount(2),4}  {(double)allocated / Math.Max(1, ticks),10:F1}  {world.MeanLoss(),9:F4}");
        }
        return 0;
    }
}
