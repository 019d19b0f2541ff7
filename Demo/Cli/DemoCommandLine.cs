using System.CommandLine;
using EcsNeural.Demo.Fashion;
using EcsNeural.Demo.Headless;
using EcsNeural.Demo.Training;
using EcsNeural.Demo.Windowed;

namespace EcsNeural.Demo.Cli;

/// <summary>
/// The demo's command line. The root command runs the foraging arena (a window, or headless); other
/// examples are added as subcommands with <c>root.Subcommands.Add(...)</c> in <see cref="Build"/>.
/// </summary>
public static class DemoCommandLine
{
    public static RootCommand Build()
    {
        var headless = new Option<bool>("--headless") { Description = "Run without a window: a fixed number of ticks, PNG frames, metrics.csv, summary.json, brains.bin" };
        var agents = new Option<int>("--agents") { Description = "Number of agents (1–10,000)", DefaultValueFactory = _ => 512 };
        var seed = new Option<ulong>("--seed") { Description = "Seed for the arena and the networks", DefaultValueFactory = _ => 1UL };
        var workers = new Option<int>("--workers") { Description = "Worker threads for the networks and the arena's per-agent steps", DefaultValueFactory = _ => Environment.ProcessorCount };
        var signal = new Option<TrainingSignal>("--signal") { Description = "What the networks learn from: Imitation (of the steering teacher) or Reward", DefaultValueFactory = _ => TrainingSignal.Imitation };
        var output = new Option<string>("--out") { Description = "Output directory (headless results; brains saved with the S key)", DefaultValueFactory = _ => "out" };
        var ticks = new Option<long>("--ticks") { Description = "Headless: ticks to run", DefaultValueFactory = _ => 6000L };
        var framesEvery = new Option<int>("--frames-every") { Description = "Headless: write a PNG frame every K ticks (0 = only the last)", DefaultValueFactory = _ => 1000 };
        var noTeacher = new Option<bool>("--no-teacher-baseline") { Description = "Headless: skip the teacher-only run that measures the teacher's own food rate" };
        var seconds = new Option<double>("--seconds") { Description = "Window: quit after S seconds (0 = run until closed)" };
        var screenshot = new Option<string?>("--screenshot") { Description = "Window: save the last frame the window showed to this PNG" };
        var width = new Option<int>("--width") { Description = "Window or frame width in pixels", DefaultValueFactory = _ => 1280 };
        var height = new Option<int>("--height") { Description = "Window or frame height in pixels", DefaultValueFactory = _ => 800 };

        var root = new RootCommand("EcsNeural foraging arena: every agent's controller network learns in real time.")
        {
            headless, agents, seed, workers, signal, output, ticks, framesEvery, noTeacher, seconds, screenshot, width, height,
        };
        root.Subcommands.Add(FashionCommand.Create());
        root.SetAction(parse =>
        {
            if (!parse.GetValue(headless))
            {
                var windowed = new WindowedOptions
                {
                    Agents = parse.GetValue(agents), Seed = parse.GetValue(seed), Workers = parse.GetValue(workers),
                    Signal = parse.GetValue(signal), OutputDirectory = parse.GetValue(output)!, Seconds = parse.GetValue(seconds),
                    ScreenshotPath = parse.GetValue(screenshot), Width = parse.GetValue(width), Height = parse.GetValue(height),
                };
                if (WindowedRunner.TryRun(windowed, out string whyNot)) return 0;
                Console.WriteLine($"No window: {whyNot}. Running headless instead.");
            }
            var options = new HeadlessOptions
            {
                Agents = parse.GetValue(agents), Seed = parse.GetValue(seed), Workers = parse.GetValue(workers),
                Signal = parse.GetValue(signal), Ticks = parse.GetValue(ticks), FramesEvery = parse.GetValue(framesEvery),
                OutputDirectory = parse.GetValue(output)!, MeasureTeacher = !parse.GetValue(noTeacher),
                FrameWidth = parse.GetValue(width), FrameHeight = parse.GetValue(height),
            };
            RunSummary s = HeadlessRunner.Run(options);
            Console.WriteLine($"food per agent per minute: first 10% {s.FoodRateEarly:F1}, last 20% {s.FoodRateLate:F1}, teacher {s.TeacherFoodRate:F1}; " +
                              $"final loss {s.FinalLoss:G3}; parameter checksum {s.ParameterChecksum}; results in {options.OutputDirectory}");
            return 0;
        });
        return root;
    }
}
