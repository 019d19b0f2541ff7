using System.Globalization;
using System.Text;
using System.Text.Json;
using EcsNeural.Demo.Arena;
using EcsNeural.Demo.Training;
using Spectre.Console;

namespace EcsNeural.Demo.Headless;

/// <summary>
/// Runs the arena for a fixed number of ticks without a window: PNG frames every k ticks, metrics.csv, summary.json and
/// the driving network's checkpoint (policy.ckpt or brains.ckpt, loadable with <c>--load</c>), all under the output directory.
/// </summary>
public static class HeadlessRunner
{
    public static RunSummary Run(HeadlessOptions options)
    {
        Directory.CreateDirectory(options.OutputDirectory);
        var config = new ArenaConfig { Agents = options.Agents, Seed = options.Seed };

        double teacherRate = options.MeasureTeacher ? MeasureTeacher(config, options) : double.NaN;

        using var session = new ArenaSession(config, options.Workers, options.Signal, learn: !options.Watch, updateStepsPerTick: options.UpdateStepsPerTick);
        if (options.LoadPath is { } load)
            session.LoadNetwork(load);
        var log = new FoodRateLog(config.Agents, options.Ticks);
        var frames = new List<string>();
        using var frameWriter = new FrameWriter(options.FrameWidth, options.FrameHeight, options.FramesEvery);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        WithProgress(options, options.Signal == TrainingSignal.Reward ? "learning from reward" : "imitating the teacher", progress =>
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

        string checkpoint = session.SaveNetwork(options.OutputDirectory);
        WriteMetrics(session.Metrics, Path.Combine(options.OutputDirectory, "metrics.csv"));
        IReadOnlyList<MetricsRow> rows = session.Metrics;
        var summary = new RunSummary(config.Agents, options.Ticks, config.Seed, options.Workers, options.Signal.ToString().ToLowerInvariant(),
            log.Rate(0, 0.1), log.Rate(0.8, 1.0), teacherRate, FirstTickAtFractionOfTeacher(log, teacherRate, 0.6), session.LastLoss,
            rows.Count == 0 ? 0 : rows.Max(r => r.WorstTrainMilliseconds), rows.Count == 0 ? 0 : rows.Average(r => r.TrainMilliseconds),
            session.ParameterChecksum().ToString("x16", CultureInfo.InvariantCulture), checkpoint, frames);
        File.WriteAllText(Path.Combine(options.OutputDirectory, "summary.json"),
            JsonSerializer.Serialize(summary, new JsonSerializerOptions { WriteIndented = true, NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals }));
        return summary;
    }

    /// <summary>The teacher's own food rate over the last 20% of a run as long as the learners', driving the same arena.</summary>
    public static double MeasureTeacher(ArenaConfig config, HeadlessOptions options)
    {
        using var session = new ArenaSession(config, options.Workers, teacherDrives: true);
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
        return log.Rate(0.8, 1.0);
    }

    /// <summary>The first tick whose trailing 3,000-tick food rate reaches <paramref name="fraction"/> of the teacher's, or null.</summary>
    private static long? FirstTickAtFractionOfTeacher(FoodRateLog log, double teacherRate, double fraction)
        => double.IsNaN(teacherRate) ? null : log.FirstTickReaching(fraction * teacherRate, window: 3000);

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
        var csv = new StringBuilder("tick,food_rate,reward_rate,loss,module_ms,worst_module_ms,arena_ms,signal\n");
        foreach (MetricsRow r in rows)
            csv.Append(CultureInfo.InvariantCulture,
                $"{r.Tick},{r.FoodRate:G6},{r.RewardRate:G6},{r.Loss:G6},{r.TrainMilliseconds:G4},{r.WorstTrainMilliseconds:G4},{r.ArenaMilliseconds:G4},{r.Signal?.ToString().ToLowerInvariant() ?? "teacher"}\n");
        File.WriteAllText(path, csv.ToString());
    }
}
