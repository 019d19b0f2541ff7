using System.Diagnostics;
using EcsNeural.Benchmarks.Workloads;
using EcsNeural.Ecs.Jobs;

namespace EcsNeural.Benchmarks.Reinforcement;

/// <summary>
/// One of the <c>rl</c> benchmark's three measurements of a <see cref="PpoGame"/>, each timing only its own part of the game:
/// <list type="bullet">
/// <item><c>rl-tick</c>: one collected tick — environment, observe, the acting graph's forward pass, sampling and recording
/// every agent's action — timed alone; a tick that closes a rollout (and so runs the update) is run but not timed;</item>
/// <item><c>rl-update</c>: the ticks up to the next update are run, and the update alone is timed
/// (<see cref="Systems.Reinforcement.PolicyUpdateStatistics.Milliseconds"/>: its shuffles and minibatch steps);</item>
/// <item><c>rl-spread</c>: the game with <see cref="Systems.Reinforcement.PpoOptions.UpdateStepsPerTick"/> = 1, every tick
/// timed whole — the closing tick and the ticks that each run one of the update's minibatch steps included — so the
/// maximum is the worst frame a host sees when it spreads the update.</item>
/// </list>
/// </summary>
public sealed class PpoWorkload(PpoSpec spec, PpoWorkload.Kind kind, JobScheduler scheduler) : IWorkload, IDisposable
{
    /// <summary>What is timed.</summary>
    public enum Kind { Tick, Update, Spread }

    private PpoGame? _game;

    /// <summary>The workload id the PyTorch peer reports the same measurement under.</summary>
    public string Id => kind switch { Kind.Tick => "rl-tick", Kind.Update => "rl-update", _ => "rl-spread" };

    public string Impl => "ours";

    /// <summary>A tick's (for <c>rl-spread</c> too: its median tick runs no update step) or an update's FLOPs.</summary>
    public double FlopsPerStep => kind == Kind.Update ? spec.FlopsPerUpdate : spec.FlopsPerTick;

    public double? TimedMilliseconds { get; private set; }

    /// <summary>The game being timed (after <see cref="Setup"/>).</summary>
    public PpoGame Game => _game ?? throw new InvalidOperationException("Setup has not run.");

    /// <summary>Builds the game and plays it through its first update, so every later step, warm-up included, runs warm code.</summary>
    public void Setup()
    {
        _game?.Dispose();
        _game = new PpoGame(spec, scheduler, kind == Kind.Spread ? 1 : 0);
        while (_game.Policy.Updates == 0)
            _game.Tick();
    }

    public void Step()
    {
        PpoGame game = Game;
        if (kind == Kind.Spread)
        {
            game.Tick();   // timed whole (TimedMilliseconds stays null)
            return;
        }
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
