using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using EcsNeural.Benchmarks.Workloads;

namespace EcsNeural.Benchmarks;

/// <summary>
/// The runner's command line (System.CommandLine): every option is validated while parsing, so a bad value is a usage
/// error naming the option and what it accepts, exit code <see cref="UsageError"/>, before anything runs.
/// </summary>
public static class RunnerCommand
{
    /// <summary>Exit code of a usage error.</summary>
    public const int UsageError = 2;

    /// <summary>Most timed steps per workload.</summary>
    public const int MaxSteps = 100_000;
    /// <summary>Most job workers and busy threads.</summary>
    public const int MaxThreads = 256;
    /// <summary>Most agents (<c>--population</c>) or samples (<c>--mlp</c>).</summary>
    public const int MaxCount = 1_000_000;
    /// <summary>Widest layer.</summary>
    public const int MaxWidth = 65_536;
    /// <summary>Most layer widths, input included.</summary>
    public const int MaxLayers = 64;
    /// <summary>Most floats of parameters, or of activations, one custom workload may hold (1 GiB), so every implementation fits in memory.</summary>
    public const long MaxFloats = 1L << 28;

    private sealed record Symbols(
        Argument<string[]> Workloads, Option<FileInfo?> Json, Option<bool> NoPeer, Option<int> Steps, Option<int> Workers,
        Option<int> BusyThreads, Option<int?> Population, Option<int?> Mlp, Option<int[]?> Layers, Option<bool> Portable);

    /// <summary>Parses and runs; prints usage errors to <paramref name="error"/> and returns <see cref="UsageError"/> for them.</summary>
    public static int Invoke(string[] args, TextWriter output, TextWriter error)
    {
        (RootCommand root, Symbols symbols) = Create(output);
        ParseResult parse = root.Parse(args);
        List<string> errors = Errors(parse, symbols);
        if (errors.Count > 0)
        {
            foreach (string message in errors)
                error.WriteLine($"error: {message}");
            error.WriteLine("Run with --help for usage.");
            return UsageError;
        }
        return parse.Invoke(new InvocationConfiguration { Output = output, Error = error });
    }

    /// <summary>The options <paramref name="args"/> give, or the usage errors they make (then the options are null).</summary>
    public static (RunnerOptions? Options, IReadOnlyList<string> Errors) Parse(params string[] args)
    {
        (RootCommand root, Symbols symbols) = Create(TextWriter.Null);
        ParseResult parse = root.Parse(args);
        List<string> errors = Errors(parse, symbols);
        return errors.Count > 0 ? (null, errors) : (ToOptions(parse, symbols), []);
    }

    private static (RootCommand Root, Symbols Symbols) Create(TextWriter output)
    {
        string[] known = [.. WorkloadSpec.All.Select(s => s.Id), .. BenchmarkSuite.All.Select(s => s.Id)];
        var workloads = new Argument<string[]>("workloads")
        {
            Description = "W1…W5 (default: all five when no custom shape is given); "
                + string.Join("; ", BenchmarkSuite.All.Select(s => $"{s.Id}: {s.Description}")),
            Arity = ArgumentArity.ZeroOrMore,
        };
        workloads.Validators.Add(result =>
        {
            foreach (Token token in result.Tokens)
            {
                if (!known.Contains(token.Value, StringComparer.OrdinalIgnoreCase))
                    result.AddError($"Unknown workload '{token.Value}'; known: {string.Join(", ", known)}.");
            }
        });
        var symbols = new Symbols(
            workloads,
            new Option<FileInfo?>("--json") { HelpName = "PATH", Description = "Also write the results as JSON (DESIGN.md shape) to this path" },
            new Option<bool>("--no-peer") { Description = "Skip the PyTorch peer" },
            IntOption("--steps", "N", "Timed steps per workload (per load with --busy-threads)", 1, MaxSteps, 15),
            IntOption("--workers", "N", "Job-scheduler workers", 1, MaxThreads, 2),
            IntOption("--busy-threads", "K", "Also time every workload with this many extra spinning threads, ours and PyTorch alike, "
                + "quiet and busy in alternating rounds", 0, MaxThreads, 0),
            OptionalIntOption("--population", "N", "A population workload of N agents with --layers (besides any W ids)", 1, MaxCount),
            OptionalIntOption("--mlp", "B", "A single-MLP workload with batch B and --layers (besides any W ids)", 1, MaxCount),
            LayersOption(),
            new Option<bool>("--portable") { Description = "Also time the engine in portable numerics (impl ours-portable: the same bits on every CPU) beside the default" });
        var root = new RootCommand("EcsNeural benchmark runner: training steps W1–W5 (or a shape of your own), ours vs PyTorch")
        {
            symbols.Workloads, symbols.Json, symbols.NoPeer, symbols.Steps, symbols.Workers, symbols.BusyThreads,
            symbols.Population, symbols.Mlp, symbols.Layers, symbols.Portable,
        };
        foreach (Command command in Subcommands(output))
            root.Subcommands.Add(command);
        root.SetAction(result => BenchmarkRun.Execute(ToOptions(result, symbols), output));
        return (root, symbols);
    }

    // Commands of their own, beside the benchmark run; their options are validated like the runner's.
    private static Command[] Subcommands(TextWriter output)
    {
        // soak: a population trains while agents spawn and die every tick; a line per minute (EcsNeural.Benchmarks.Soak).
        var soakMinutes = DoubleOption("--minutes", "M", "How long to run, in minutes", 0.01, 10_080, 30);
        var soakAgents = IntOption("--agents", "N", "Base population (it swings above this)", 1, MaxCount, 1000);
        var soakWorkers = IntOption("--workers", "N", "Job-scheduler workers", 1, MaxThreads, 2);
        var soak = new Command("soak", "Train a population with agents spawning and dying every tick; print memory and allocation per minute")
        {
            soakMinutes, soakAgents, soakWorkers,
        };
        soak.SetAction(parse => Soak.SoakRun.Execute(parse.GetValue(soakMinutes), parse.GetValue(soakAgents), parse.GetValue(soakWorkers), output));

        // determinism: span-placement probe and training checksums under reduced instruction sets (EcsNeural.Benchmarks.Determinism);
        // checksums: one child run's checksum lines.
        var determinismSteps = IntOption("--steps", "N", "Training steps per checksum run", 1, MaxSteps, 200);
        var determinismWorkers = IntOption("--workers", "N", "Job-scheduler workers", 1, MaxThreads, 2);
        var determinism = new Command("determinism", "Show where results depend on more than the inputs: span placement, instruction-set level")
        {
            determinismSteps, determinismWorkers,
        };
        determinism.SetAction(parse => Determinism.DeterminismReport.Execute(parse.GetValue(determinismSteps), parse.GetValue(determinismWorkers), output));
        var checksumSteps = IntOption("--steps", "N", "Training steps per run", 1, MaxSteps, 200);
        var checksumWorkers = IntOption("--workers", "N", "Job-scheduler workers", 1, MaxThreads, 2);
        var checksumNumerics = new Option<Systems.Kernels.NumericsMode>("--numerics")
        {
            HelpName = "fast|portable", Description = "The graphs' numerics mode", DefaultValueFactory = _ => Systems.Kernels.NumericsMode.Fast,
        };
        var checksums = new Command("checksums", "Print the checksums of the determinism training runs (the determinism command's child)")
        {
            checksumSteps, checksumWorkers, checksumNumerics,
        };
        checksums.SetAction(parse => Determinism.DeterminismReport.Checksums(parse.GetValue(checksumSteps), parse.GetValue(checksumWorkers),
            parse.GetValue(checksumNumerics), output));
        return [soak, determinism, checksums];
    }

    // The options' errors, then (when each option is fine on its own) what they get wrong together.
    private static List<string> Errors(ParseResult parse, Symbols symbols)
    {
        var errors = parse.Errors.Select(e => e.Message).ToList();
        if (errors.Count > 0)
            return errors;
        if (parse.GetValue(symbols.Json) is { } json && !(json.Directory?.Exists ?? false))
            errors.Add($"--json {json.FullName}: the folder {json.DirectoryName} does not exist.");
        int? population = parse.GetValue(symbols.Population), mlp = parse.GetValue(symbols.Mlp);
        int[]? layers = Given(parse.GetValue(symbols.Layers));
        if (population is not null && mlp is not null)
            errors.Add("--population and --mlp each describe one custom workload; give one of them.");
        else if ((population ?? mlp) is { } count)
        {
            if (layers is null)
                errors.Add($"{(population is not null ? "--population" : "--mlp")} needs --layers (the widths, input first, e.g. --layers 16,32,32,4).");
            else if (Footprint(population is not null, count, layers) is { } too)
                errors.Add(too);
        }
        else if (layers is not null)
            errors.Add("--layers gives the widths of a custom workload; add --population N or --mlp B.");
        return errors;
    }

    // Null when the custom workload fits; otherwise the error.
    private static string? Footprint(bool isPopulation, int count, int[] widths)
    {
        long parameters = 0, activations = 0;
        for (int l = 0; l + 1 < widths.Length; l++)
            parameters += (long)widths[l] * widths[l + 1] + widths[l + 1];
        foreach (int width in widths)
            activations += width;
        long parameterFloats = isPopulation ? parameters * count : parameters;
        long activationFloats = activations * count;
        string option = isPopulation ? $"--population {count:N0}" : $"--mlp {count:N0}";
        if (parameterFloats > MaxFloats)
            return $"{option} with --layers {string.Join(',', widths)} has {parameterFloats:N0} parameters; the runner takes at most {MaxFloats:N0} floats (1 GiB) of them.";
        if (activationFloats > MaxFloats)
            return $"{option} with --layers {string.Join(',', widths)} has {activationFloats:N0} activations per step; the runner takes at most {MaxFloats:N0} floats (1 GiB) of them.";
        return null;
    }

    private static RunnerOptions ToOptions(ParseResult parse, Symbols symbols)
    {
        var specs = new List<WorkloadSpec>();
        var suites = new List<BenchmarkSuite>();
        foreach (string id in parse.GetValue(symbols.Workloads) ?? [])
        {
            if (WorkloadSpec.All.FirstOrDefault(s => s.Id.Equals(id, StringComparison.OrdinalIgnoreCase)) is { } spec)
                specs.Add(spec);
            else
                suites.Add(BenchmarkSuite.All.First(s => s.Id.Equals(id, StringComparison.OrdinalIgnoreCase)));
        }
        int[]? layers = Given(parse.GetValue(symbols.Layers));
        if (parse.GetValue(symbols.Population) is { } agents)
            specs.Add(WorkloadSpec.Population(agents, layers!));
        else if (parse.GetValue(symbols.Mlp) is { } batch)
            specs.Add(WorkloadSpec.Mlp(batch, layers!));
        else if (specs.Count == 0 && suites.Count == 0)
            specs.AddRange(WorkloadSpec.All);
        return new RunnerOptions(specs, suites, parse.GetValue(symbols.Json), parse.GetValue(symbols.NoPeer), parse.GetValue(symbols.Steps),
            parse.GetValue(symbols.Workers), parse.GetValue(symbols.BusyThreads), parse.GetValue(symbols.Portable));
    }

    // An absent array option reads as an empty array.
    private static int[]? Given(int[]? layers) => layers is { Length: > 0 } ? layers : null;

    private static Option<int> IntOption(string name, string helpName, string description, int min, int max, int fallback) => new(name)
    {
        Description = $"{description}; {min:N0} to {max:N0}",
        HelpName = helpName,
        DefaultValueFactory = _ => fallback,
        CustomParser = result => ParseInt(result, name, min, max),
    };

    private static Option<int?> OptionalIntOption(string name, string helpName, string description, int min, int max) => new(name)
    {
        Description = $"{description}; {min:N0} to {max:N0}",
        HelpName = helpName,
        CustomParser = result => ParseInt(result, name, min, max),
    };

    private static Option<double> DoubleOption(string name, string helpName, string description, double min, double max, double fallback) => new(name)
    {
        Description = $"{description}; {min:G} to {max:N0}",
        HelpName = helpName,
        DefaultValueFactory = _ => fallback,
        CustomParser = result =>
        {
            string token = result.Tokens.Count > 0 ? result.Tokens[^1].Value : "";
            if (double.TryParse(token, NumberStyles.Float, CultureInfo.InvariantCulture, out double value) && value >= min && value <= max)
                return value;
            result.AddError($"{name} takes a number from {min:G} to {max:N0}; got '{token}'.");
            return default;
        },
    };

    private static int ParseInt(ArgumentResult result, string name, int min, int max)
    {
        string token = result.Tokens.Count > 0 ? result.Tokens[^1].Value : "";
        if (int.TryParse(token, NumberStyles.Integer, CultureInfo.InvariantCulture, out int value) && value >= min && value <= max)
            return value;
        result.AddError($"{name} takes an integer from {min:N0} to {max:N0}; got '{token}'.");
        return default;
    }

    private static Option<int[]?> LayersOption() => new("--layers")
    {
        HelpName = "W0,W1,…",
        Description = $"Layer widths of the custom workload, input first, comma-separated (e.g. 16,32,32,4): 2 to {MaxLayers} widths, each 1 to {MaxWidth:N0}",
        CustomParser = result =>
        {
            string token = result.Tokens.Count > 0 ? result.Tokens[^1].Value : "";
            string[] parts = token.Split(',');
            var widths = new int[parts.Length];
            for (int i = 0; i < parts.Length; i++)
            {
                if (!int.TryParse(parts[i], NumberStyles.None, CultureInfo.InvariantCulture, out widths[i]) || widths[i] < 1 || widths[i] > MaxWidth)
                {
                    result.AddError($"--layers takes 2 to {MaxLayers} comma-separated widths, each an integer from 1 to {MaxWidth:N0}; '{parts[i]}' in '{token}' is not.");
                    return null;
                }
            }
            if (widths.Length < 2 || widths.Length > MaxLayers)
            {
                result.AddError($"--layers takes 2 to {MaxLayers} comma-separated widths (input first); got {widths.Length} in '{token}'.");
                return null;
            }
            return widths;
        },
    };
}
