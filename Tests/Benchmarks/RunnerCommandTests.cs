using EcsNeural.Benchmarks;

namespace EcsNeural.Tests.Benchmarks;

/// <summary>The benchmark runner's command line: bad values are usage errors naming the option and what it accepts.</summary>
public class RunnerCommandTests
{
    private static readonly object[] BadInput =
    [
        new object[] { new[] { "--steps", "0" }, "--steps takes an integer from 1 to 100,000; got '0'." },
        new object[] { new[] { "--steps", "many" }, "--steps takes an integer from 1 to 100,000; got 'many'." },
        new object[] { new[] { "--workers", "0" }, "--workers takes an integer from 1 to 256; got '0'." },
        new object[] { new[] { "--workers", "257" }, "--workers takes an integer from 1 to 256; got '257'." },
        new object[] { new[] { "--busy-threads", "-1" }, "--busy-threads takes an integer from 0 to 256; got '-1'." },
        new object[] { new[] { "--population", "0", "--layers", "16,4" }, "--population takes an integer from 1 to 1,000,000; got '0'." },
        new object[] { new[] { "--mlp", "2000000", "--layers", "4,4" }, "--mlp takes an integer from 1 to 1,000,000; got '2000000'." },
        new object[] { new[] { "--population", "10", "--layers", "16,x,4" },
            "--layers takes 2 to 64 comma-separated widths, each an integer from 1 to 65,536; 'x' in '16,x,4' is not." },
        new object[] { new[] { "--population", "10", "--layers", "16,0,4" },
            "--layers takes 2 to 64 comma-separated widths, each an integer from 1 to 65,536; '0' in '16,0,4' is not." },
        new object[] { new[] { "--population", "10", "--layers", "16" }, "--layers takes 2 to 64 comma-separated widths (input first); got 1 in '16'." },
        new object[] { new[] { "--population", "10", "--mlp", "10", "--layers", "4,4" },
            "--population and --mlp each describe one custom workload; give one of them." },
        new object[] { new[] { "--population", "10" }, "--population needs --layers (the widths, input first, e.g. --layers 16,32,32,4)." },
        new object[] { new[] { "--layers", "4,4" }, "--layers gives the widths of a custom workload; add --population N or --mlp B." },
        new object[] { new[] { "--population", "1000000", "--layers", "1024,1024" },
            "--population 1,000,000 with --layers 1024,1024 has 1,049,600,000,000 parameters; the runner takes at most 268,435,456 floats (1 GiB) of them." },
        new object[] { new[] { "--json", "/no/such/folder/results.json" }, "--json /no/such/folder/results.json: the folder /no/such/folder does not exist." },
        new object[] { new[] { "soak", "--minutes", "0" }, "--minutes takes a number from 0.01 to 10,080; got '0'." },
        new object[] { new[] { "soak", "--agents", "-5" }, "--agents takes an integer from 1 to 1,000,000; got '-5'." },
        new object[] { new[] { "determinism", "--workers", "0" }, "--workers takes an integer from 1 to 256; got '0'." },
        new object[] { new[] { "checksums", "--steps", "1e3" }, "--steps takes an integer from 1 to 100,000; got '1e3'." },
        new object[] { new[] { "W9" }, "Unknown workload 'W9'; known: W1, W2, W3, W4, W5, gemm, ecs, hvp, rl." },
    ];

    [TestCaseSource(nameof(BadInput))]
    public void ABadValueIsAUsageErrorNamingTheOptionAndWhatItAccepts(string[] args, string message)
    {
        (RunnerOptions? options, IReadOnlyList<string> errors) = RunnerCommand.Parse(args);
        Assert.Multiple(() =>
        {
            Assert.That(options, Is.Null);
            Assert.That(errors, Is.EqualTo(new[] { message }));
        });
    }

    [TestCaseSource(nameof(BadInput))]
    public void ABadValueExitsWithCode2AndNoStackTraceBeforeAnythingRuns(string[] args, string message)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        int exitCode = RunnerCommand.Invoke(args, output, error);
        Assert.Multiple(() =>
        {
            Assert.That(exitCode, Is.EqualTo(RunnerCommand.UsageError));
            Assert.That(error.ToString(), Is.EqualTo($"error: {message}{Environment.NewLine}Run with --help for usage.{Environment.NewLine}"));
            Assert.That(output.ToString(), Is.Empty, "nothing ran");
        });
    }

    [Test]
    public void NoArgumentsMeansW1ToW5WithTheDefaults()
    {
        RunnerOptions options = RunnerCommand.Parse().Options!;
        Assert.Multiple(() =>
        {
            Assert.That(options.Workloads.Select(w => w.Id), Is.EqualTo(new[] { "W1", "W2", "W3", "W4", "W5" }));
            Assert.That(options.Suites, Is.Empty);
            Assert.That((options.Steps, options.Workers, options.BusyThreads, options.NoPeer, options.Json), Is.EqualTo((15, 2, 0, false, (FileInfo?)null)));
        });
    }

    [Test]
    public void WorkloadIdsAndSuitesKeepTheirOrderAndIgnoreCase()
    {
        RunnerOptions options = RunnerCommand.Parse("w3", "GEMM", "W1", "hvp", "RL", "--busy-threads", "1", "--steps", "60", "--workers", "3").Options!;
        Assert.Multiple(() =>
        {
            Assert.That(options.Workloads.Select(w => w.Id), Is.EqualTo(new[] { "W3", "W1" }));
            Assert.That(options.Suites.Select(s => s.Id), Is.EqualTo(new[] { "gemm", "hvp", "rl" }));
            Assert.That((options.Steps, options.Workers, options.BusyThreads), Is.EqualTo((60, 3, 1)));
        });
    }

    [Test]
    public void APopulationShapeFromTheCommandLineIsAWorkloadOfItsOwn()
    {
        var spec = RunnerCommand.Parse("--population", "5000", "--layers", "16,32,32,4").Options!.Workloads.Single();
        Assert.Multiple(() =>
        {
            Assert.That((spec.Id, spec.IsPopulation, spec.Count), Is.EqualTo(("pop-5000-16-32-32-4", true, 5000)));
            Assert.That(spec.Widths, Is.EqualTo(new[] { 16, 32, 32, 4 }));
        });
    }

    [Test]
    public void AnMlpShapeComesAfterTheNamedWorkloads()
    {
        var specs = RunnerCommand.Parse("W4", "--mlp", "256", "--layers", "784,256,128,10").Options!.Workloads;
        Assert.Multiple(() =>
        {
            Assert.That(specs.Select(s => s.Id), Is.EqualTo(new[] { "W4", "mlp-256-784-256-128-10" }));
            Assert.That((specs[1].IsPopulation, specs[1].Count), Is.EqualTo((false, 256)));
            Assert.That(specs[1].Widths, Is.EqualTo(new[] { 784, 256, 128, 10 }));
            Assert.That(specs[1].FlopsPerStep, Is.EqualTo(specs[0].FlopsPerStep), "the same shape as W4 counts the same FLOPs");
        });
    }
}
