using System.Diagnostics;
using EcsNeural.Demo.Arena;
using EcsNeural.Demo.Brains;
using EcsNeural.Ecs;
using EcsNeural.Ecs.Jobs;

namespace EcsNeural.Demo.Training;

/// <summary>
/// One tick of the demo: the arena's systems in order — sense → control (this session's
/// <see cref="ControlSystem"/>: the networks or the teacher act, then learn by imitation or reward) →
/// move → separate → eat → respawn — then metrics. Both the window and the headless runner drive the
/// arena only through this class, so they behave the same.
/// </summary>
public sealed class ArenaSession : IDisposable
{
    private readonly float[] _actions, _executed, _targets;
    private readonly ReinforceLearner _reward;
    private readonly List<MetricsRow> _rows = [];
    private readonly Stopwatch _stopwatch = new();
    private readonly bool _teacherDrives;
    private long _intervalStartTick;
    private long _intervalEaten;
    private double _intervalLoss, _intervalTrainMs, _intervalArenaMs;
    private int _intervalLearnSteps;

    /// <param name="config">The arena.</param>
    /// <param name="workers">Threads of the one job scheduler the networks and the arena's per-agent steps share (1 = inline).</param>
    /// <param name="brainFactory">Creates the agents' networks, running their jobs on the given scheduler.</param>
    /// <param name="signal">What the networks learn from.</param>
    /// <param name="teacherDrives">The teacher's actions drive the agents (the networks still act and learn).</param>
    /// <param name="metricsInterval">Ticks per row of <see cref="Metrics"/>.</param>
    public ArenaSession(ArenaConfig config, int workers, Func<ArenaConfig, JobScheduler, IBrainPopulation> brainFactory,
        TrainingSignal signal = TrainingSignal.Imitation, bool teacherDrives = false, int metricsInterval = ArenaConfig.TicksPerSecond)
    {
        if (metricsInterval < 1) throw new ArgumentOutOfRangeException(nameof(metricsInterval), metricsInterval, "must be at least one tick");
        Jobs = new JobScheduler(workers);
        Simulation = new ArenaSimulation(config, Jobs);
        Simulation.Systems.Add(new ControlSystem(this));
        Brains = brainFactory(config, Jobs);
        _reward = new ReinforceLearner(Simulation);
        if (Brains.Count != config.Agents || Brains.LayerSizes[0] != config.ObservationSize || Brains.LayerSizes[^1] != ArenaConfig.ActionSize)
            throw new ArgumentException(
                $"brain population is {Brains.Count} × [{string.Join(", ", Brains.LayerSizes)}]; the arena needs {config.Agents} agents with {config.ObservationSize} inputs and {ArenaConfig.ActionSize} outputs",
                nameof(brainFactory));
        SetSignal(signal);
        _teacherDrives = teacherDrives;
        MetricsInterval = metricsInterval;
        int n = config.Agents;
        _actions = new float[n * ArenaConfig.ActionSize];
        _executed = new float[n * ArenaConfig.ActionSize];
        _targets = new float[n * ArenaConfig.ActionSize];
    }

    /// <summary>The job scheduler the networks and the arena share; this session owns it.</summary>
    public JobScheduler Jobs { get; }

    public ArenaSimulation Simulation { get; }
    public IBrainPopulation Brains { get; }
    public ArenaConfig Config => Simulation.Config;
    public TrainingSignal Signal { get; private set; }
    public int MetricsInterval { get; }
    public IReadOnlyList<MetricsRow> Metrics => _rows;

    /// <summary>Loss of the last training step.</summary>
    public float LastLoss { get; private set; }

    /// <summary>Milliseconds the networks took (act + learn) in the last tick.</summary>
    public double LastTrainMilliseconds { get; private set; }

    /// <summary>
    /// Switches the training signal and the networks' learning rate with it (<see cref="BrainFactory.LearningRate"/> to imitate,
    /// <see cref="ReinforceLearner.LearningRate"/> to learn from reward); the reward signal starts fresh from the next tick.
    /// </summary>
    public void SetSignal(TrainingSignal signal)
    {
        Signal = signal;
        Brains.LearningRate = signal == TrainingSignal.Reward ? ReinforceLearner.LearningRate : BrainFactory.LearningRate;
        _reward.Reset();
    }

    /// <summary>Runs one tick of the arena's systems, this session's <see cref="ControlSystem"/> among them.</summary>
    public void Step()
    {
        _intervalEaten += Simulation.Step();
        _intervalLoss += LastLoss;
        _intervalTrainMs += LastTrainMilliseconds;
        _intervalArenaMs += ArenaMilliseconds();
        _intervalLearnSteps++;
        if (Simulation.Tick - _intervalStartTick >= MetricsInterval) CloseInterval();
    }

    public void Dispose()
    {
        Brains.Dispose();
        Simulation.Dispose();
        Jobs.Dispose();
    }

    /// <summary>
    /// The controller's part of tick <paramref name="tick"/>, run by <see cref="ControlSystem"/> between sensing and
    /// moving: act (the networks, or the teacher when it drives), learn (imitation or reward), set the agents' steering.
    /// </summary>
    internal void Control(long tick)
    {
        int n = Config.Agents;
        ReadOnlySpan<float> observations = Simulation.Observations;

        _stopwatch.Restart();
        if (Signal == TrainingSignal.Reward && !_teacherDrives) _reward.Learn(Brains, _actions, Simulation.AteBySlot);
        var teacher = new TeacherJob(Config, Simulation.ObservationMatrix, _targets);
        Jobs.Complete(Jobs.ScheduleParallelFor(teacher, n, ArenaSimulation.AgentBlockSize));
        if (Signal == TrainingSignal.Imitation && !_teacherDrives)
            LastLoss = Brains.ActAndLearn(observations, _targets, _actions);   // one pass acts and learns
        else
        {
            Brains.Act(observations, _actions);
            LastLoss = TeacherError();
        }
        _stopwatch.Stop();
        LastTrainMilliseconds = _stopwatch.Elapsed.TotalMilliseconds;

        if (_teacherDrives) _targets.CopyTo(_executed, 0);
        else if (Signal == TrainingSignal.Reward) _reward.Explore(tick, _actions, _executed);
        else _actions.CopyTo(_executed, 0);
        Simulation.SetSteering(_executed);
    }

    /// <summary>The last tick's time in the arena's systems, the controller's excepted (from the group's per-system timings).</summary>
    private double ArenaMilliseconds()
    {
        double sum = 0;
        IReadOnlyList<ISystem<long>> systems = Simulation.Systems.Systems;
        IReadOnlyList<SystemTiming> timings = Simulation.Systems.Timings;
        for (int i = 0; i < timings.Count; i++)
            if (systems[i] is not ControlSystem) sum += timings[i].UpdateMilliseconds;
        return sum;
    }

    private float TeacherError()
    {
        double sum = 0;
        for (int i = 0; i < _actions.Length; i++) { float e = _actions[i] - _targets[i]; sum += e * e; }
        return (float)(sum / _actions.Length);
    }

    private void CloseInterval()
    {
        long ticks = Simulation.Tick - _intervalStartTick;
        double minutes = (double)ticks / (ArenaConfig.TicksPerSecond * 60);
        _rows.Add(new MetricsRow(Simulation.Tick, _intervalEaten / (double)Config.Agents / minutes,
            _intervalLoss / _intervalLearnSteps, _intervalTrainMs / _intervalLearnSteps, _intervalArenaMs / _intervalLearnSteps, Signal));
        _intervalStartTick = Simulation.Tick;
        _intervalEaten = 0;
        _intervalLoss = _intervalTrainMs = _intervalArenaMs = 0;
        _intervalLearnSteps = 0;
    }
}
