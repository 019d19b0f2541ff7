using EcsNeural.Ecs.Jobs;

namespace EcsNeural.Benchmarks.Reinforcement;

/// <summary>
/// The runner's <c>rl</c> suite: a <see cref="PpoGame"/> timed per collected tick, per update and per tick with the update
/// spread over ticks (<see cref="PpoWorkload"/>),
/// then <c>peer/pytorch_ppo_peer.py</c> running the same PPO on the same shapes.
/// </summary>
public static class PpoBenchmark
{
    /// <summary>
    /// Timed ticks for <paramref name="steps"/> timed updates: at least one rollout's worth, so a tick's median covers every
    /// position in the rollout (and a spread update's ticks are all among them).
    /// </summary>
    public static int TickSteps(PpoSpec spec, int steps) => Math.Max(steps, spec.RolloutTicks);

    /// <summary>Times <paramref name="spec"/>'s tick, update and spread-update tick (quiet, or quiet and busy under <paramref name="load"/>), then the peer's.</summary>
    public static List<BenchmarkResult> Run(PpoSpec spec, RunnerOptions options, BusyLoad? load, TextWriter log)
    {
        log.WriteLine($"rl: {spec.Describe()}; {spec.FlopsPerTick / 1e6:F1} MFLOP/tick, {spec.FlopsPerUpdate / 1e9:F2} GFLOP/update");
        var results = new List<BenchmarkResult>();
        using (var scheduler = new JobScheduler(options.Workers))
        {
            foreach (PpoWorkload.Kind kind in Enum.GetValues<PpoWorkload.Kind>())
            {
                using var workload = new PpoWorkload(spec, kind, scheduler);
                log.WriteLine($" {workload.Id}:");
                results.AddRange(BenchmarkRun.Time([workload], kind == PpoWorkload.Kind.Update ? options.Steps : TickSteps(spec, options.Steps), load, log));
            }
        }
        if (!options.NoPeer && BenchmarkRun.PeerAvailable(log))
        {
            string[] arguments =
            [
                "--agents", $"{spec.Agents}", "--obs", $"{spec.Observations}", "--actions", $"{spec.Actions}", "--hidden", string.Join(',', spec.Hidden),
                "--rollout", $"{spec.RolloutTicks}", "--epochs", $"{spec.Epochs}", "--minibatches", $"{spec.Minibatches}",
                "--tick-steps", $"{TickSteps(spec, options.Steps)}",
            ];
            results.AddRange(PeerRunner.RunScript("pytorch_ppo_peer.py", arguments, BenchmarkRun.WarmupSteps, options.Steps,
                id => id == "rl-tick" ? spec.FlopsPerTick : spec.FlopsPerUpdate, load, log));
        }
        return results;
    }
}
