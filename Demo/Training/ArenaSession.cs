using System.IO.Hashing;
using System.Runtime.InteropServices;
using EcsNeural.Components;
using EcsNeural.Components.Agents;
using EcsNeural.Demo.Arena;
using EcsNeural.Demo.Rendering;
using EcsNeural.Ecs;
using EcsNeural.Ecs.Jobs;
using EcsNeural.Plugin;
using EcsNeural.Plugin.Agents;
using EcsNeural.Plugin.Checkpoints;
using EcsNeural.Systems.Graph;
using EcsNeural.Systems.Optimizers;
using EcsNeural.Systems.Reinforcement;

namespace EcsNeural.Demo.Training;

/// <summary>
/// The demo as a game that uses the neural module: the arena's world and its tick group, with the module installed into
/// that group by <see cref="NeuralPlugin.Install"/> between sensing and moving, exactly as the README tells a game to. The
/// agents are the arena's entities; they carry <see cref="Observation"/> and <see cref="AgentAction"/>, plus a
/// <see cref="Target"/> while they imitate the teacher (each bound to its own network of a population) or a
/// <see cref="Reward"/> while they learn from reward (all bound to one shared PPO policy). A tick: sense → teacher →
/// module (gather, policy observe, forward, backward, optimizer, scatter, policy act) → steer → move → separate → eat →
/// respawn → reward, then metrics. The window and the headless runner drive the arena only through this class.
/// </summary>
public sealed class ArenaSession : IDisposable
{
    private readonly TeacherSystem _teacher;
    private RewardSystem _rewards = null!;
    private readonly List<MetricsRow> _rows = [];
    private NeuralModule _module = null!;
    private long _intervalStartTick, _intervalEaten;
    private double _intervalReward, _intervalLoss, _intervalTrainMs, _intervalWorstTrainMs, _intervalArenaMs;
    private int _intervalTicks;

    /// <param name="config">The arena.</param>
    /// <param name="workers">Threads of the one job scheduler the networks and the arena's per-agent steps share (1 = inline).</param>
    /// <param name="signal">What drives the agents and what their network learns from.</param>
    /// <param name="teacherDrives">The teacher drives the agents and no network is bound (the baseline run).</param>
    /// <param name="metricsInterval">Ticks per row of <see cref="Metrics"/>.</param>
    /// <param name="learn">False to watch: the module is installed for inference and the policy acts on its most likely action.</param>
    /// <param name="updateStepsPerTick">PPO minibatch steps per tick (0: the whole update in the tick a rollout fills).</param>
    public ArenaSession(ArenaConfig config, int workers, TrainingSignal signal = TrainingSignal.Imitation, bool teacherDrives = false,
        int metricsInterval = ArenaConfig.TicksPerSecond, bool learn = true, int updateStepsPerTick = 0)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(metricsInterval, 1);
        config.Validate();
        Config = config;
        Jobs = new JobScheduler(workers);
        TeacherDrives = teacherDrives;
        Learns = learn;
        _teacher = new TeacherSystem(this);
        Simulation = new ArenaSimulation(config, Jobs,
            control: (arena, tick) =>
            {
                tick.Add(_teacher);
                _module = NeuralPlugin.Install(arena.World, Jobs, tick, new NeuralPluginOptions { Mode = learn ? PluginMode.Training : PluginMode.Inference });
                tick.Add(new SteerSystem(this));
            },
            outcome: (arena, tick) => tick.Add(_rewards = new RewardSystem(arena)));
        Imitation = _module.CreatePopulation(ForagerNetworks.Imitation(config), new NetworkOptions
        {
            Instances = 0, Loss = Plugin.Building.OutputLoss.MeanSquaredError, Optimizer = OptimizerOptions.Adam(ForagerNetworks.ImitationLearningRate), Seed = config.Seed,
        });
        Imitation.Network.Graph.GradientMode = GradientMode.BlockLocal;   // nothing reads the gradients: they stay in cache
        Policy = _module.CreatePolicy(ForagerNetworks.PolicyHidden(config), ActionSpace.Continuous(ArenaConfig.ActionSize),
            ForagerNetworks.Policy(config, updateStepsPerTick));
        Policy.Explore = learn;
        MetricsInterval = metricsInterval;
        Signal = signal;
        if (!teacherDrives)
            Bind(signal);
    }

    /// <summary>The job scheduler the networks and the arena share; this session owns it.</summary>
    public JobScheduler Jobs { get; }
    public ArenaSimulation Simulation { get; }
    public ArenaConfig Config { get; }
    /// <summary>The neural module installed in the arena's world and tick group.</summary>
    public NeuralModule Module => _module;
    /// <summary>The per-agent networks the agents imitate the teacher with.</summary>
    public AgentNetwork Imitation { get; }
    /// <summary>The policy the agents share while learning from reward.</summary>
    public PpoPolicy Policy { get; }
    public TrainingSignal Signal { get; private set; }
    /// <summary>Whether the teacher drives the agents (no network is bound).</summary>
    public bool TeacherDrives { get; }
    /// <summary>Whether the networks learn (false: watching a loaded network).</summary>
    public bool Learns { get; }
    public int MetricsInterval { get; }
    public IReadOnlyList<MetricsRow> Metrics => _rows;

    /// <summary>Mean imitation loss of the last tick (NaN while learning from reward or when the teacher drives).</summary>
    public float LastLoss { get; private set; } = float.NaN;

    /// <summary>Milliseconds the neural module took in the last tick (acting, learning, PPO updates).</summary>
    public double LastTrainMilliseconds { get; private set; }

    /// <summary>The network driving the agents as the painter draws it, or null when the teacher drives.</summary>
    public NetworkView? Network => TeacherDrives ? null
        : Signal == TrainingSignal.Imitation ? NetworkView.Of(Imitation.Network) : NetworkView.Of(Policy);

    /// <summary>
    /// Switches what drives the agents: each agent is unbound from the current network and bound, in slot order, to the
    /// other (its Target or Reward component swapped). The shared policy keeps what it learned; the per-agent imitation
    /// networks are released and start afresh when the agents next imitate.
    /// </summary>
    public void SetSignal(TrainingSignal signal)
    {
        if (TeacherDrives)
            throw new InvalidOperationException("The teacher drives this session's agents; it has no networks to switch.");
        if (signal == Signal)
            return;
        Unbind(Signal);
        Signal = signal;
        Bind(signal);
    }

    /// <summary>Runs one tick of the arena's systems, the neural module's among them, and records the metrics.</summary>
    public void Step()
    {
        MeasureTick(Simulation.Step());
    }

    /// <summary>Saves the driving network into <paramref name="directory"/> with <see cref="Checkpoint"/>; returns the file.</summary>
    public string SaveNetwork(string directory, string? name = null)
    {
        if (TeacherDrives)
            throw new InvalidOperationException("The teacher drives this session's agents; there is no network to save.");
        Directory.CreateDirectory(directory);
        string path = Path.Combine(directory, name ?? (Signal == TrainingSignal.Reward ? "policy.ckpt" : "brains.ckpt"));
        if (Signal == TrainingSignal.Reward)
            Checkpoint.Save(Policy, path);
        else
            Checkpoint.Save(Imitation.Network.Graph, path);
        return path;
    }

    /// <summary>Loads a checkpoint saved by <see cref="SaveNetwork"/> into the driving network (the policy, or the per-agent networks).</summary>
    /// <exception cref="CheckpointException">The file does not fit the driving network (the message names the file and what differs).</exception>
    public void LoadNetwork(string path)
    {
        if (Signal == TrainingSignal.Reward)
            Checkpoint.Load(Policy, path);
        else
            Checkpoint.Load(Imitation.Network.Graph, path);
    }

    /// <summary>A 64-bit checksum of the driving network's parameters, to compare runs bit for bit.</summary>
    public ulong ParameterChecksum()
    {
        ComputeGraph<float> graph = Signal == TrainingSignal.Reward ? Policy.TrainingGraph ?? Policy.ActingGraph : Imitation.Network.Graph;
        var hash = new XxHash64();
        foreach (Entity node in graph.Nodes())
        {
            if (graph.World.Has<Trainable>(node))
                hash.Append(MemoryMarshal.AsBytes(graph.AllValues(node)));
        }
        return hash.GetCurrentHashAsUInt64();
    }

    public void Dispose()
    {
        _module.Dispose();
        Simulation.Dispose();
        Jobs.Dispose();
    }

    /// <summary>Gives every agent, in slot order, what <paramref name="signal"/>'s network needs, and binds it.</summary>
    private void Bind(TrainingSignal signal)
    {
        World world = Simulation.World;
        for (int slot = 0; slot < Config.Agents; slot++)
        {
            Entity agent = Simulation.AgentOf(slot);
            if (signal == TrainingSignal.Imitation)
            {
                world.Add(agent, new Target(new float[ArenaConfig.ActionSize]));
                Imitation.Population.Bind(agent);
            }
            else
            {
                world.Add(agent, new Reward());
                Policy.Bind(agent);
            }
        }
    }

    /// <summary>Unbinds every agent from <paramref name="signal"/>'s network, last slot first (so no instance moves).</summary>
    private void Unbind(TrainingSignal signal)
    {
        World world = Simulation.World;
        for (int slot = Config.Agents - 1; slot >= 0; slot--)
        {
            Entity agent = Simulation.AgentOf(slot);
            if (signal == TrainingSignal.Imitation)
            {
                Imitation.Population.Unbind(agent);
                world.Remove<Target>(agent);
            }
            else
            {
                Policy.Unbind(agent);
                world.Remove<Reward>(agent);
            }
        }
    }

    private void MeasureTick(int eaten)
    {
        IReadOnlyList<ISystem<long>> systems = Simulation.Systems.Systems;
        IReadOnlyList<Ecs.SystemTiming> timings = Simulation.Systems.Timings;
        double module = 0, arena = 0;
        for (int i = 0; i < timings.Count; i++)
        {
            if (ReferenceEquals(systems[i], _module.Group))
                module = timings[i].UpdateMilliseconds;
            else
                arena += timings[i].UpdateMilliseconds;
        }
        LastTrainMilliseconds = module;
        LastLoss = !TeacherDrives && Signal == TrainingSignal.Imitation ? MeanImitationLoss() : float.NaN;
        _intervalEaten += eaten;
        _intervalReward += _rewards.LastTotal;
        _intervalLoss += LastLoss;
        _intervalTrainMs += module;
        _intervalWorstTrainMs = Math.Max(_intervalWorstTrainMs, module);
        _intervalArenaMs += arena;
        _intervalTicks++;
        if (Simulation.Tick - _intervalStartTick >= MetricsInterval)
            CloseInterval();
    }

    private float MeanImitationLoss()
    {
        float sum = 0;
        foreach (float loss in Imitation.Network.Graph.AllValues(Imitation.Network.Loss))
            sum += loss;   // instance order: deterministic
        return sum / Config.Agents;
    }

    private void CloseInterval()
    {
        double minutes = (double)_intervalTicks / (ArenaConfig.TicksPerSecond * 60);
        double perAgentMinute = Config.Agents * minutes;
        _rows.Add(new MetricsRow(Simulation.Tick, _intervalEaten / perAgentMinute, _intervalReward / perAgentMinute, _intervalLoss / _intervalTicks,
            _intervalTrainMs / _intervalTicks, _intervalWorstTrainMs, _intervalArenaMs / _intervalTicks, TeacherDrives ? null : Signal));
        _intervalStartTick = Simulation.Tick;
        _intervalEaten = 0;
        _intervalReward = _intervalLoss = _intervalTrainMs = _intervalWorstTrainMs = _intervalArenaMs = 0;
        _intervalTicks = 0;
    }
}
