using EcsNeural.Components.Agents;
using EcsNeural.Ecs;
using EcsNeural.Ecs.Jobs;
using EcsNeural.Plugin;
using EcsNeural.Plugin.Agents;
using EcsNeural.Plugin.Building;
using EcsNeural.Systems.Optimizers;

namespace EcsNeural.Benchmarks.Soak;

/// <summary>
/// A game world whose agents spawn and die every tick while their population trains: the oldest
/// <see cref="ChurnPerTick"/> agents die (destroyed between ticks, as a game would) and as many spawn, ± a drift that
/// swings the population between <c>agents</c> and <c>agents + 2·Swing</c>, so the instance count crosses block
/// boundaries back and forth. Each agent learns a fixed function of its observation (16-32-32-4 MLP, ReLU, MSE, Adam).
/// </summary>
public sealed class ChurnWorld : IDisposable
{
    /// <summary>Agents that die, and at least as many that spawn, per tick.</summary>
    public const int ChurnPerTick = 8;

    /// <summary>Extra agents spawned per tick for <see cref="SwingTicks"/> ticks, then as many fewer.</summary>
    private const int Drift = 4;

    private const int SwingTicks = 40;

    /// <summary>How far the population swings above its base size (several instance blocks of this network).</summary>
    public const int Swing = Drift * SwingTicks;

    private static readonly Mlp Architecture = Mlp.Input(16).Dense(32, Activation.Relu).Dense(32, Activation.Relu).Dense(4);

    private readonly World _world = new();
    private readonly JobScheduler _scheduler;
    private readonly SystemGroup<float> _game = new("Soak");
    private readonly NeuralModule _module;
    private readonly AgentNetwork _brains;
    private readonly Entity[] _alive;   // a ring, oldest first
    private int _oldest, _count;
    private long _tick;

    /// <param name="agents">Base population (the population swings up to <c>agents + Swing</c>).</param>
    /// <param name="workers">Job-scheduler workers.</param>
    public ChurnWorld(int agents, int workers)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(agents, ChurnPerTick + Drift);
        _scheduler = new JobScheduler(workers);
        _game.Add(new SenseSystem(_world));
        _module = NeuralPlugin.Install(_world, _scheduler, _game);
        _brains = _module.CreatePopulation(Architecture,
            new NetworkOptions { Instances = 0, Loss = OutputLoss.MeanSquaredError, Optimizer = OptimizerOptions.Adam(0.003), Seed = 7 });
        _alive = new Entity[agents + Swing + ChurnPerTick + Drift];
        for (int a = 0; a < agents; a++)
            Spawn();
    }

    /// <summary>Live agents right now.</summary>
    public int Agents => _count;

    /// <summary>Ticks run so far.</summary>
    public long Ticks => _tick;

    /// <summary>One game tick: agents die and spawn, then the game's group senses, acts and trains.</summary>
    public void Tick()
    {
        int phase = (int)(_tick % (2 * SwingTicks));
        int spawned = ChurnPerTick + (phase < SwingTicks ? Drift : -Drift);
        for (int k = 0; k < ChurnPerTick; k++)
            Die();
        for (int k = 0; k < spawned; k++)
            Spawn();
        _game.Update(1f / 60);
        _tick++;
    }

    /// <summary>The mean loss of the population's agents after the last tick.</summary>
    public float MeanLoss()
    {
        Span<float> losses = _brains.Network.Graph.AllValues(_brains.Network.Loss);
        float sum = 0;
        foreach (float loss in losses)
            sum += loss;
        return sum / Math.Max(1, losses.Length);
    }

    private void Spawn()
    {
        Entity agent = _world.Create(new Observation(), new Target(), new AgentAction(), Brain.Unbound(_brains.Network.Graph.Id));
        _alive[(_oldest + _count) % _alive.Length] = agent;
        _count++;
    }

    private void Die()
    {
        _world.Destroy(_alive[_oldest]);
        _oldest = (_oldest + 1) % _alive.Length;
        _count--;
    }

    public void Dispose()
    {
        _module.Dispose();
        _game.Dispose();
        _scheduler.Dispose();
        _world.Dispose();
    }

    /// <summary>The game's sensing: each agent observes 16 values keyed by (entity, tick) and should output a fixed function of them.</summary>
    private sealed class SenseSystem(World world) : ISystem<float>
    {
        private readonly QueryDescription _agents = new QueryDescription().WithAll<Observation, Target>();
        private int _tick;

        public void Update(in float deltaTime)
        {
            var body = new Sense(_tick++);
            world.InlineQuery<Sense, Observation, Target>(in _agents, ref body);
        }

        private readonly struct Sense(int tick) : IForEach<Observation, Target>
        {
            public void Update(Entity entity, ref Observation observation, ref Target target)
            {
                Span<float> x = stackalloc float[16];
                ulong state = ((ulong)(uint)entity.Id << 32 | (uint)tick) * 0x9E3779B97F4A7C15UL + 1;
                for (int k = 0; k < x.Length; k++)
                {
                    state ^= state >> 31;
                    state *= 0xBF58476D1CE4E5B9UL;
                    x[k] = (int)(state >> 41) / (float)(1 << 22) - 1f;
                }
                observation.Values.Set(x);
                Span<float> y = stackalloc float[4];
                for (int k = 0; k < y.Length; k++)
                    y[k] = x[k] * x[15 - k] - 0.5f * x[k + 4];
                target.Values.Set(y);
            }
        }
    }
}
