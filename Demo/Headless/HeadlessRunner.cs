using System.Globalization;
using System.Text;
using System.Text.Json;
using EcsNeural.Demo.Arena;
using EcsNeural.Demo.Brains;
using EcsNeural.Demo.Training;
using Spectre.Console;

namespace EcsNeural.Demo.Headless;

/// <summary>
/// Runs the arena for a fixed number of ticks without a window: PNG frames every k ticks, metrics.csv,
/// summary.json and the trained brains, all under the output directory.
/// </summary>
public static class HeadlessRunner
{
    public static RunSummary Run(HeadlessOptions options)
    {
        if (options.Ticks < 10) throw new ArgumentOutOfRangeException(nameof(options), options.Ticks, "ticks must be at least 10");
        if (options.FramesEvery < 0) throw new ArgumentOutOfRangeException(nameof(options), options.FramesEvery, "frames-every must not be negative");
        Directory.CreateDirectory(options.OutputDirectory);
        var config = new ArenaConfig { Agents = options.Agents, Seed = options.Seed };

        double teacherRate = options.MeasureTeacher ? MeasureTeacher(config, options) : double.NaN;

        using var session = new ArenaSession(config, options.Workers, BrainFactory.Create, options.Signal);
        var log = new FoodRateLog(config.Agents, options.Ticks);
        var frames = new List<string>();
        using var frameWriter = new FrameWriter(options.FrameWidth, options.FrameHeight, options.FramesEvery);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        WithProgress(options, "training", progress =>
        {
            for (long t = 1; t <= options.Ticks; t++)
            {
                long before = session.Simulation.TotalEaten;
                session.Step();
                log.Record((int)(session.Simulation.TotalEaten - before));
                bool lastTick = t == options.Ticks;
                if (lastTick || (options.FramesEvery > 0 && t % options.FramesEvery == 0))
                    frames.Add(frameWriter.Write(session, options.OutputDirectory, t / clock.Elapsed.TotalSeconds));
                progress(t);
            }
        });

        string brains = Path.Combine(options.OutputDirectory, "brains.bin");
        session.Brains.Save(brains);
        WriteMetrics(session.Metrics, Path.Combine(options.OutputDirectory, "metrics.csv"));
        var summary = new RunSummary(config.Agents, options.Ticks, config.Seed, options.Workers, options.Signal.ToString().ToLowerInvariant(),
            log.Rate(0, 0.1), log.Rate(0.8, 1.0), teacherRate, session.LastLoss,
            session.Brains.ParameterChecksum().ToString("x16", CultureInfo.InvariantCulture), brains, frames);
        File.WriteAllText(Path.Combine(options.OutputDirectory, "summary.json"),
            JsonSerializer.Serialize(summary, new JsonSerializerOptions { WriteIndented = true, NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals }));
        return summary;
    }

    private static double MeasureTeacher(ArenaConfig config, HeadlessOptions options)
    {
        using var session = new ArenaSession(config, options.Workers, BrainFactory.Create, teacherDrives: true);
        var log = new FoodRateLog(config.Agents, options.Ticks);
        WithProgress(options, "teacher baseline", progress =>
        {
            for (long t = 1; t <= options.Ticks; t++)
            {
                long before = session.Simulation.TotalEaten;
                session.Step();
                log.Record((int)(session.Simulation.TotalEaten - before));
                progress(t);
            }
        });
        // the same stretch the learners' late rate is taken over
        return log.Rate(0.8, 1.0);
    }

    private static void WithProgress(HeadlessOptions options, string label, Action<Action<long>> body)
    {
        if (!options.ShowProgress) { body(_ => { }); return; }
        AnsiConsole.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new RemainingTimeColumn())
            .Start(ctx =>
            {
                ProgressTask task = ctx.AddTask(label, maxValue: options.Ticks);
                body(t => { if (t % 50 == 0 || t == options.Ticks) task.Value = t; });
            });
    }

    private static void WriteMetrics(IReadOnlyList<MetricsRow> rows, string path)
    {
        var csv = new StringBuilder("tick,food_rate,loss,train_ms,arena_ms,signal\n");
        foreach (MetricsRow r in rows)
            csv.Append(CultureInfo.InvariantCulture, $"{r.Tick},{r.FoodRate:G6},{r.Loss:G6},{r.TrainMilliseconds:G4},{r.ArenaMilliseconds:G4},{r.Signal.ToString().ToLowerInvariant()}\n");
        File.WriteAllText(path, csv.ToString());
    }
}
