using System.CommandLine;
using EcsNeural.Demo.Arena;
using EcsNeural.Demo.Headless;
using EcsNeural.Demo.Rendering;
using EcsNeural.Demo.Training;
using SkiaSharp;

namespace EcsNeural.Demo.Cli;

/// <summary>
/// <c>learning-curve</c>: runs the arena headless three times on one seed — learning from reward, imitating the teacher,
/// and driven by the teacher itself — and draws their food rates against ticks into one PNG (the README's figure), with the
/// numbers beside it as CSV (tick, then each run's food rate per agent per minute over the 600 ticks up to it).
/// </summary>
public static class LearningCurveCommand
{
    public static Command Create()
    {
        Option<int> agents = DemoCommandLine.Ranged("--agents", "Number of agents", 1, ArenaConfig.MaxAgents, 512);
        Option<long> ticks = DemoCommandLine.Ranged("--ticks", "Ticks of each run", 600L, 10_000_000L, 30_000L);
        var seed = new Option<ulong>("--seed") { Description = "Seed for the arena and the networks", DefaultValueFactory = _ => 1UL };
        Option<int> workers = DemoCommandLine.Ranged("--workers", "Worker threads", 1, DemoCommandLine.MaxWorkers, Environment.ProcessorCount);
        var output = new Option<string>("--out") { Description = "The PNG to write", DefaultValueFactory = _ => "docs/learning-curve.png" };
        var command = new Command("learning-curve", "Food rate against ticks: reward (PPO) vs imitation vs the teacher, one seed, as a PNG")
        {
            agents, ticks, seed, workers, output,
        };
        command.SetAction(parse =>
        {
            var config = new ArenaConfig { Agents = parse.GetValue(agents), Seed = parse.GetValue(seed) };
            long length = parse.GetValue(ticks);
            int threads = parse.GetValue(workers);
            string path = parse.GetValue(output)!;
            var curves = new List<(string Label, SKColor Colour, IReadOnlyList<MetricsRow> Rows)>();
            foreach ((string label, SKColor colour, TrainingSignal signal, bool teacher) in new[]
            {
                ("learning from reward (PPO, no teacher)", Palette.Reward, TrainingSignal.Reward, false),
                ("imitating the teacher", Palette.Agent, TrainingSignal.Imitation, false),
                ("the teacher itself", Palette.DimText, TrainingSignal.Imitation, true),
            })
            {
                parse.InvocationConfiguration.Output.WriteLine($"{label}: {length:N0} ticks, {config.Agents} agents, seed {config.Seed}");
                using var session = new ArenaSession(config, threads, signal, teacherDrives: teacher, metricsInterval: 600);
                for (long t = 0; t < length; t++)
                    session.Step();
                curves.Add((label, colour, session.Metrics));
            }
            LearningCurve.Draw(path, $"{config.Agents} agents, seed {config.Seed}: food eaten per agent per minute (10 s means)", curves);
            string csv = Path.ChangeExtension(path, ".csv");
            var table = new System.Text.StringBuilder("tick,reward,imitation,teacher\n");
            for (int row = 0; row < curves[0].Rows.Count; row++)
                table.Append(System.Globalization.CultureInfo.InvariantCulture,
                    $"{curves[0].Rows[row].Tick},{curves[0].Rows[row].FoodRate:F2},{curves[1].Rows[row].FoodRate:F2},{curves[2].Rows[row].FoodRate:F2}\n");
            File.WriteAllText(csv, table.ToString());
            parse.InvocationConfiguration.Output.WriteLine($"learning curve written to {path} (numbers in {csv})");
            return 0;
        });
        return command;
    }
}
