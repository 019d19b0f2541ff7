using System.CommandLine;
using System.CommandLine.Parsing;
using EcsNeural.Demo.Arena;
using EcsNeural.Demo.Fashion;
using EcsNeural.Demo.Headless;
using EcsNeural.Demo.Training;
using EcsNeural.Demo.Windowed;
using EcsNeural.Plugin.Checkpoints;

namespace EcsNeural.Demo.Cli;

/// <summary>
/// The demo's command line. The root command runs the foraging arena (a window, or headless); other examples are
/// subcommands (<c>fashion</c>, <c>learning-curve</c>). Every option is checked while parsing: a bad value is a usage
/// error naming the option and what it accepts, exit code <see cref="UsageError"/>, and nothing runs.
/// </summary>
public static class DemoCommandLine
{
    /// <summary>Exit code of a usage error.</summary>
    public const int UsageError = 2;

    /// <summary>Most job workers.</summary>
    public const int MaxWorkers = 256;

    /// <summary>Parses and runs; prints usage errors to <paramref name="error"/> and returns <see cref="UsageError"/> for them.</summary>
    public static int Invoke(string[] args, TextWriter output, TextWriter error)
    {
        ParseResult parse = Build().Parse(args);
        if (parse.Errors.Count > 0)
        {
            foreach (ParseError e in parse.Errors)
                error.WriteLine($"error: {e.Message}");
            error.WriteLine("Run with --help for usage.");
            return UsageError;
        }
        try
        {
            return parse.Invoke(new InvocationConfiguration { Output = output, Error = error, EnableDefaultExceptionHandler = false });
        }
        catch (CheckpointException ex)
        {
            error.WriteLine($"error: {ex.Message}");
            return 1;
        }
    }

    public static RootCommand Build()
    {
        var headless = new Option<bool>("--headless") { Description = "Run without a window: a fixed number of ticks, PNG frames, metrics.csv, summary.json and the network's checkpoint" };
        Option<int> agents = Ranged("--agents", "Number of agents", 1, ArenaConfig.MaxAgents, 512);
        var seed = new Option<ulong>("--seed") { Description = "Seed for the arena and the networks", DefaultValueFactory = _ => 1UL };
        Option<int> workers = Ranged("--workers", "Worker threads for the networks and the arena's per-agent steps", 1, MaxWorkers, Environment.ProcessorCount);
        var signal = new Option<TrainingSignal>("--signal") { Description = "What drives the agents: Imitation (each its own network, learning the steering teacher) or Reward (one shared PPO policy, no teacher)", DefaultValueFactory = _ => TrainingSignal.Imitation };
        var output = new Option<string>("--out") { Description = "Output directory (headless results; checkpoints saved with the S key)", DefaultValueFactory = _ => "out" };
        output.Validators.Add(result => RequireWritableDirectory(result, "--out"));
        var load = new Option<string?>("--load") { Description = "A checkpoint (policy.ckpt of a --signal Reward run, brains.ckpt of an Imitation run) to load into the driving network" };
        load.Validators.Add(result =>
        {
            string? path = result.GetValueOrDefault<string?>();
            if (path is not null && !File.Exists(path))
                result.AddError($"--load takes an existing checkpoint file; '{path}' is not one.");
        });
        var watch = new Option<bool>("--watch") { Description = "Watch instead of learn (with --load): inference only, the policy takes its most likely action" };
        Option<int> updateSteps = Ranged("--update-steps-per-tick", "PPO minibatch steps per tick; 0 runs the whole update in the tick a rollout fills", 0, 1_000, 0);
        Option<long> ticks = Ranged("--ticks", "Headless: ticks to run", 10L, 100_000_000L, 6000L);
        Option<int> framesEvery = Ranged("--frames-every", "Headless: write a PNG frame every K ticks (0 = only the last)", 0, int.MaxValue, 1000);
        var noTeacher = new Option<bool>("--no-teacher-baseline") { Description = "Headless: skip the teacher-only run that measures the teacher's own food rate" };
        var seconds = new Option<double>("--seconds") { Description = "Window: quit after S seconds (0 = run until closed)" };
        seconds.Validators.Add(result =>
        {
            double s = result.GetValueOrDefault<double>();
            if (!(s >= 0) || !double.IsFinite(s))
                result.AddError($"--seconds takes a finite number of seconds ≥ 0; got {s}.");
        });
        var screenshot = new Option<string?>("--screenshot") { Description = "Window: save the last frame the window showed to this PNG" };
        Option<int> width = Ranged("--width", "Window or frame width in pixels", 320, 8192, 1280);
        Option<int> height = Ranged("--height", "Window or frame height in pixels", 240, 8192, 800);

        var root = new RootCommand("EcsNeural foraging arena: agents learn to forage in real time, by imitation or from reward.")
        {
            headless, agents, seed, workers, signal, output, load, watch, updateSteps, ticks, framesEvery, noTeacher, seconds, screenshot, width, height,
        };
        root.Subcommands.Add(FashionCommand.Create());
        root.Subcommands.Add(LearningCurveCommand.Create());
        root.Validators.Add(result =>
        {
            if (result.GetValue(watch) && result.GetValue(load) is null)
                result.AddError("--watch needs --load: there is nothing trained to watch.");
        });
        root.SetAction(parse =>
        {
            TextWriter console = parse.InvocationConfiguration.Output;
            if (!parse.GetValue(headless))
            {
                var windowed = new WindowedOptions
                {
                    Agents = parse.GetValue(agents), Seed = parse.GetValue(seed), Workers = parse.GetValue(workers),
                    Signal = parse.GetValue(signal), OutputDirectory = parse.GetValue(output)!, Seconds = parse.GetValue(seconds),
                    ScreenshotPath = parse.GetValue(screenshot), Width = parse.GetValue(width), Height = parse.GetValue(height),
                    LoadPath = parse.GetValue(load), Watch = parse.GetValue(watch), UpdateStepsPerTick = parse.GetValue(updateSteps),
                };
                if (WindowedRunner.TryRun(windowed, out string whyNot)) return 0;
                console.WriteLine($"No window: {whyNot}. Running headless instead.");
            }
            var options = new HeadlessOptions
            {
                Agents = parse.GetValue(agents), Seed = parse.GetValue(seed), Workers = parse.GetValue(workers),
                Signal = parse.GetValue(signal), Ticks = parse.GetValue(ticks), FramesEvery = parse.GetValue(framesEvery),
                OutputDirectory = parse.GetValue(output)!, MeasureTeacher = !parse.GetValue(noTeacher),
                FrameWidth = parse.GetValue(width), FrameHeight = parse.GetValue(height),
                LoadPath = parse.GetValue(load), Watch = parse.GetValue(watch), UpdateStepsPerTick = parse.GetValue(updateSteps),
            };
            RunSummary s = HeadlessRunner.Run(options);
            console.WriteLine($"food per agent per minute: first 10% {s.FoodRateEarly:F1}, last 20% {s.FoodRateLate:F1}, teacher {s.TeacherFoodRate:F1}"
                + (s.FirstTickAtSixtyPercentOfTeacher is { } at ? $" (60% of the teacher's from tick {at})" : "")
                + $"; module {s.MeanModuleMilliseconds:F2} ms/tick, worst {s.WorstModuleMilliseconds:F1} ms; parameter checksum {s.ParameterChecksum}; "
                + $"results and {Path.GetFileName(s.CheckpointFile)} in {options.OutputDirectory}");
            return 0;
        });
        return root;
    }

    /// <summary>An integer option accepting <paramref name="min"/>…<paramref name="max"/>, refusing anything else while parsing.</summary>
    public static Option<T> Ranged<T>(string name, string description, T min, T max, T fallback) where T : struct, System.Numerics.IBinaryInteger<T>
        => new(name)
        {
            Description = $"{description} ({min:N0} to {max:N0})",
            DefaultValueFactory = _ => fallback,
            CustomParser = result =>
            {
                string token = result.Tokens.Count > 0 ? result.Tokens[^1].Value : "";
                if (T.TryParse(token, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out T value)
                    && value >= min && value <= max)
                    return value;
                result.AddError($"{name} takes an integer from {min:N0} to {max:N0}; got '{token}'.");
                return fallback;
            },
        };

    /// <summary>Refuses an output directory that cannot be created or written (checked by creating it and a probe file).</summary>
    private static void RequireWritableDirectory(OptionResult result, string name)
    {
        string? path = result.GetValueOrDefault<string>();
        if (string.IsNullOrWhiteSpace(path))
        {
            result.AddError($"{name} takes a directory path; got an empty one.");
            return;
        }
        try
        {
            Directory.CreateDirectory(path);
            string probe = Path.Combine(path, $".write-test-{Guid.NewGuid():N}");
            File.WriteAllBytes(probe, []);
            File.Delete(probe);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            result.AddError($"{name} takes a directory the demo can create and write; '{path}' is not one ({ex.Message}).");
        }
    }
}
