using System.CommandLine;
using EcsNeural.Demo.Headless;
using EcsNeural.Demo.Training;

namespace EcsNeural.Demo.Cli;

/// <summary>
/// The demo's command line. The root command runs the foraging arena (window, or headless); further
/// examples are added as subcommands of the root with <c>root.Subcommands.Add(...)</c>.
/// </summary>
public static class DemoCommandLine
{
    public static RootCommand Build()
    {
        var headless = new Option<bool>("--headless") { Description = "Run without a window: fixed ticks, PNG frames, metrics.csv, summary.json, brains.bin" };
        var agents = new Option<int>("--agents") { Description = "Number of agents (1–10,000)", DefaultValueFactory = _ => 512 };
        var seed = new Option<ulong>("--seed") { Description = "Seed for the arena and the networks", DefaultValueFactory = _ => 1UL };
        var workers = new Option<int>("--workers") { Description = "Worker threads for the networks", DefaultValueFactory = _ => Environment.ProcessorCount };
        var signal = new Option<TrainingSignal>("--signal") { Description = "What the networks learn from: imitation (of the steering teacher) or reward", DefaultValueFactory = _ => TrainingSignal.Imitation };
        var ticks = new Option<long>("--ticks") { Description = "Headless: ticks to run", DefaultValueFactory = _ => 6000L };
        var framesEvery = new Option<int>("--frames-every") { Description = "Headless: write a PNG frame every K ticks (0 = last only)", DefaultValueFactory = _ => 1000 };
        var output = new Option<string>("--out") { Description = "Headless: output directory", DefaultValueFactory = _ => "out" };
        var noTeacher = new Option<bool>("--no-teacher-baseline") { Description = "Headless: skip the teacher-only run that measures the teacher's food rate" };

        var root = new RootCommand("EcsNeural foraging arena: agents' controller networks learn in real time.")
        {
            headless, agents, seed, workers, signal, ticks, framesEvery, output, noTeacher,
        };
        root.SetAction(parse =>
        {
            var options = new HeadlessOptions
            {
                Agents = parse.GetValue(agents), Seed = parse.GetValue(seed), Workers = parse.GetValue(workers),
                Signal = parse.GetValue(signal), Ticks = parse.GetValue(ticks), FramesEvery = parse.GetValue(framesEvery),
                OutputDirectory = parse.GetValue(output)!, MeasureTeacher = !parse.GetValue(noTeacher),
            };
            RunSummary s = HeadlessRunner.Run(options);
            Console.WriteLine($"food rate early {s.FoodRateEarly:F2}, late {s.FoodRateLate:F2}, teacher {s.TeacherFoodRate:F2} per agent per minute; final loss {s.FinalLoss:G3}; checksum {s.ParameterChecksum}");
            return 0;
        });
        return root;
    }
}
