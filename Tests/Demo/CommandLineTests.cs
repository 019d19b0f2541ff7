using EcsNeural.Demo.Cli;

namespace EcsNeural.Tests.Demo;

/// <summary>The demo's options are checked while parsing: a bad value is a usage error naming the option, exit code 2, no stack trace.</summary>
public class CommandLineTests
{
    [TestCase("--agents", "0", "--agents takes an integer from 1 to 10,000")]
    [TestCase("--agents", "10001", "--agents takes an integer from 1 to 10,000")]
    [TestCase("--workers", "0", "--workers takes an integer from 1 to 256")]
    [TestCase("--ticks", "-5", "--ticks takes an integer from 10 to 100,000,000")]
    [TestCase("--frames-every", "-1", "--frames-every takes an integer from 0")]
    [TestCase("--update-steps-per-tick", "-2", "--update-steps-per-tick takes an integer from 0 to 1,000")]
    [TestCase("--out", "/proc/nope", "--out takes a directory the demo can create and write; '/proc/nope' is not one")]
    [TestCase("--load", "/no/such/policy.ckpt", "--load takes an existing checkpoint file")]
    [TestCase("--seconds", "-1", "--seconds takes a finite number of seconds")]
    [TestCase("--width", "10", "--width takes an integer from 320 to 8,192")]
    public void ABadValueIsAUsageErrorNamingTheOption(string option, string value, string expected)
    {
        (int exit, string error) = Run("--headless", option, value);

        Assert.That(exit, Is.EqualTo(DemoCommandLine.UsageError));
        Assert.That(error, Does.Contain(expected));
        Assert.That(error, Does.Not.Contain("   at "), "no stack trace");
    }

    [Test]
    public void WatchingNeedsSomethingToWatchAndAMalformedNumberIsNamed()
    {
        Assert.That(Run("--headless", "--watch").Error, Does.Contain("--watch needs --load"));
        (int exit, string error) = Run("--headless", "--agents", "many");
        Assert.That(exit, Is.EqualTo(DemoCommandLine.UsageError));
        Assert.That(error, Does.Contain("many").And.Contain("--agents"));
    }

    [Test]
    public void ACheckpointThatDoesNotFitIsAnErrorMessageNotACrash()
    {
        string directory = Directory.CreateTempSubdirectory("ecsneural-cli-").FullName;
        try
        {
            string file = Path.Combine(directory, "not-a-checkpoint.ckpt");
            File.WriteAllText(file, "hello");
            (int exit, string error) = Run("--headless", "--agents", "8", "--ticks", "10", "--frames-every", "0", "--no-teacher-baseline",
                "--out", directory, "--load", file);

            Assert.That(exit, Is.EqualTo(1));
            Assert.That(error, Does.StartWith("error: ").And.Contain("not-a-checkpoint.ckpt").And.Not.Contain("   at "));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private static (int Exit, string Error) Run(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        int exit = DemoCommandLine.Invoke(args, output, error);
        return (exit, error.ToString());
    }
}
