using System.CommandLine;
using EcsNeural.Plugin.Building;
using Spectre.Console;

namespace EcsNeural.Demo.Fashion;

/// <summary>
/// <c>fashion</c>: trains the 784-256-128-10 MLP on Fashion-MNIST with ReLU, tanh and/or sin hidden units, with a
/// progress bar, each epoch's train loss, test accuracy and wall time, and a final summary table.
/// </summary>
public static class FashionCommand
{
    /// <summary>The subcommand, ready to add to the demo's root command.</summary>
    public static Command Create()
    {
        var defaults = new TrainingSettings();
        var epochs = new Option<int>("--epochs") { Description = "Passes over the 60,000 training images", DefaultValueFactory = _ => defaults.Epochs };
        var activation = new Option<string>("--activation") { Description = "Hidden units: relu, tanh, sin, or all three in turn", DefaultValueFactory = _ => "all" };
        activation.AcceptOnlyFromAmong("relu", "tanh", "sin", "all");
        var workers = new Option<int>("--workers") { Description = "Threads for the matrix products", DefaultValueFactory = _ => defaults.Workers };
        var seed = new Option<ulong>("--seed") { Description = "Seed of the initial weights and the shuffles", DefaultValueFactory = _ => defaults.Seed };
        var batch = new Option<int>("--batch") { Description = "Images per minibatch", DefaultValueFactory = _ => defaults.Batch };
        var learningRate = new Option<double>("--learning-rate") { Description = "Adam's first-epoch learning rate (then a cosine decay)", DefaultValueFactory = _ => defaults.LearningRate };
        var data = new Option<string>("--data") { Description = "Folder with the four gzip'd IDX files", DefaultValueFactory = _ => FashionMnist.DefaultDirectory };

        RequireAtLeastOne(epochs);
        RequireAtLeastOne(workers);
        RequireAtLeastOne(batch);
        learningRate.Validators.Add(result =>
        {
            double value = result.GetValueOrDefault<double>();
            if (!(value > 0) || !double.IsFinite(value))
                result.AddError($"--learning-rate must be a positive finite number, got {value}.");
        });

        var command = new Command("fashion", "Train a 784-256-128-10 MLP on Fashion-MNIST (Debian's dataset-fashion-mnist) and report test accuracy")
        {
            epochs, activation, workers, seed, batch, learningRate, data,
        };
        command.SetAction(parse =>
        {
            var settings = new TrainingSettings
            {
                Epochs = parse.GetValue(epochs), Batch = parse.GetValue(batch), Workers = parse.GetValue(workers),
                Seed = parse.GetValue(seed), LearningRate = parse.GetValue(learningRate),
            };
            Activation[] activations = parse.GetValue(activation) switch
            {
                "relu" => [Activation.Relu],
                "tanh" => [Activation.Tanh],
                "sin" => [Activation.Sin],
                _ => [Activation.Relu, Activation.Tanh, Activation.Sin],
            };
            return Run(parse.GetValue(data)!, activations, settings, parse.InvocationConfiguration.Output, parse.InvocationConfiguration.Error);
        });
        return command;
    }

    /// <summary>Loads the dataset from <paramref name="dataDirectory"/> and trains one network per activation; returns the exit code.</summary>
    public static int Run(string dataDirectory, IReadOnlyList<Activation> activations, TrainingSettings settings, TextWriter output, TextWriter error)
    {
        if (FashionMnist.MissingFiles(dataDirectory).Count > 0)
        {
            error.WriteLine(FashionMnist.NotFoundMessage(dataDirectory));
            return 1;
        }
        settings.Validate();
        LabelledImages train, test;
        try
        {
            (train, test) = FashionMnist.Load(dataDirectory);
        }
        catch (InvalidDataException ex)
        {
            error.WriteLine(ex.Message);
            return 1;
        }
        IAnsiConsole console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(output) });
        console.MarkupLineInterpolated($"Fashion-MNIST: {train.Count:N0} training and {test.Count:N0} test images from {dataDirectory}");
        console.MarkupLineInterpolated($"MLP {train.PixelsPerImage}-{string.Join("-", settings.Hidden)}-{train.Classes}, softmax cross-entropy, Adam {settings.LearningRate:G3} with cosine decay, batch {settings.Batch}, {settings.Epochs} epochs, {settings.Workers} workers, seed {settings.Seed}");

        var runs = new List<(Activation Activation, IReadOnlyList<EpochResult> Epochs)>();
        int stepsPerEpoch = train.Count / settings.Batch;
        console.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new RemainingTimeColumn())
            .Start(context =>
            {
                foreach (Activation a in activations)
                {
                    ProgressTask task = context.AddTask(Name(a), maxValue: settings.Epochs * stepsPerEpoch);
                    IReadOnlyList<EpochResult> epochs = FashionTrainer.Train(train, test, a, settings,
                        stepDone: () => task.Increment(1),
                        epochDone: e => console.MarkupLineInterpolated(
                            $"{Name(a),-4} epoch {e.Epoch,2}/{settings.Epochs}  lr {e.LearningRate:0.0e0}  loss {e.TrainLoss:F4}  test {Percent(e.TestAccuracy)}  {e.TrainSeconds:F1} s + {e.TestSeconds:F1} s"));
                    task.StopTask();
                    runs.Add((a, epochs));
                }
            });

        var table = new Table().Title("Fashion-MNIST test accuracy")
            .AddColumns("hidden", "test acc.", "best (epoch)", "train loss", "train s/epoch", "test s/epoch", "total s");
        foreach ((Activation a, IReadOnlyList<EpochResult> epochs) in runs)
        {
            EpochResult last = epochs[^1], best = epochs.MaxBy(e => e.TestAccuracy);
            table.AddRow(Name(a), Percent(last.TestAccuracy), $"{Percent(best.TestAccuracy)} ({best.Epoch})", $"{last.TrainLoss:F4}",
                $"{epochs.Average(e => e.TrainSeconds):F1}", $"{epochs.Average(e => e.TestSeconds):F2}", $"{epochs.Sum(e => e.TrainSeconds + e.TestSeconds):F0}");
        }
        console.Write(table);
        return 0;
    }

    private static void RequireAtLeastOne(Option<int> option) => option.Validators.Add(result =>
    {
        int value = result.GetValueOrDefault<int>();
        if (value < 1)
            result.AddError($"{option.Name} must be at least 1, got {value}.");
    });

    private static string Percent(double fraction) => $"{100 * fraction:F2}%";

    private static string Name(Activation activation) => activation.ToString().ToLowerInvariant();
}
