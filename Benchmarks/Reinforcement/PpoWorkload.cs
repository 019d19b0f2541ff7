using System.Diagnostics;
using EcsNeural.Benchmarks.Workloads;
using EcsNeural.Ecs.Jobs;

namespace EcsNeural.Benchmarks.Reinforcement;

/// <summary>
/// One of the <c>rl</c> benchmark's two measurements of a <see cref="PpoGame"/>, each timing only its own part of the game:
/// <list type="bullet">
/// <item><c>rl-tick</c>: one collected tick — environment, observe, the acting graph's forward pass, sampling and recording
/// every agent's action — timed alone; a tick that closes a rollout (and so runs the update) is run but not timed;</item>
/// <item><c>rl-update</c>: the ticks up to the next update are run, and the update alone is timed
/// (<see cref="Systems.Reinforcement.PolicyUpdateStatistics.Milliseconds"/>: its shuffles and minibatch steps).</item>
/// </list>
/// </summary>
public sealed class PpoWorkload(PpoSpec spec, PpoWorkload.Kind kind, JobScheduler scheduler) : IWorkload, IDisposable
{
    /// <summary>What is timed.</summary>
    public enum Kind { Tick, Update }

    private PpoGame? _game;

    /// <summary>The workload id the PyTorch peer reports the same measurement under.</summary>
    public string Id => kind == Kind.Tick ? "rl-tick" : "rl-update";

    public string Impl => "ours";

    public double FlopsPerStep => kind == Kind.Tick ? spec.FlopsPerTick : spec.FlopsPerUpdate;

    public double? TimedMilliseconds { get; private set; }

    /// <summary>The game being timed (after <see cref="Setup"/>).</summary>
    public PpoGame Game => _game ?? throw new InvalidOperationException("Setup has not run.");

    /// <summary>Builds the game and plays it through its first update, so every later step, warm-up included, runs warm code.</summary>
    public void Setup()
    {
        _game?.Dispose();
        _game = new PpoGame(spec, scheduler);
        while (_game.Policy.Updates == 0)
            _game.Tick();
    }

    public void Step()
    {
        PpoGame game = Game;
        long updates = game.Policy.Updates;
        if (kind == Kind.Update)
        {
            while (game.Policy.Updates == updates)
                game.Tick();
            TimedMilliseconds = game.Policy.LastUpdate.Milliseconds;
            return;
        }
        while (true)
        {
            long start = Stopwatch.GetTimestamp();
            game.Tick();
            if (game.Policy.Updates == updates)
            {
                TimedMilliseconds = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
                return;
            }
            updates = game.Policy.Updates;   // that tick closed a rollout: time the next one
        }
    }

    public void Dispose() => _game?.Dispose();
}
