using EcsNeural.Components.Agents;
using EcsNeural.Ecs;
using EcsNeural.Ecs.Jobs;
using EcsNeural.Plugin;
using EcsNeural.Plugin.Building;
using EcsNeural.Systems.Init;
using EcsNeural.Systems.Reinforcement;

namespace EcsNeural.Benchmarks.Reinforcement;

/// <summary>
/// A game as the README tells one to learn from reward: its own world and system group, an environment system first, the
/// module installed with <see cref="NeuralPlugin.Install"/> and one PPO policy every agent is bound to. The environment
/// writes each agent's observation and reward every tick from <see cref="KeyedRandom"/> (keyed by agent and tick), so every
/// run sees the same data; the module then observes, acts and — every <see cref="PpoSpec.RolloutTicks"/> ticks — updates
/// (in that tick, or spread over the next ones, <see cref="PpoOptions.UpdateStepsPerTick"/> minibatch steps each).
/// </summary>
public sealed class PpoGame : IDisposable
{
    private const ulong EnvironmentSeed = 77;
    private readonly SystemGroup<float> _game;
    private readonly NeuralModule _module;

    /// <summary>
    /// Builds the world, installs the module, creates the policy (its update spread <paramref name="updateStepsPerTick"/>
    /// minibatch steps a tick; 0: the whole update in one tick) and binds <see cref="PpoSpec.Agents"/> agents.
    /// </summary>
    public PpoGame(PpoSpec spec, JobScheduler scheduler, int updateStepsPerTick = 0)
    {
        World = new World();
        _game = new SystemGroup<float>("Game");
        _game.Add(new RandomEnvironment(World, spec.Observations));
        _module = NeuralPlugin.Install(World, scheduler, _game);
        Mlp hidden = Mlp.Input(spec.Observations);
        foreach (int width in spec.Hidden)
            hidden = hidden.Dense(width, Activation.Tanh);
        Policy = _module.CreatePolicy(hidden, ActionSpace.Continuous(spec.Actions), new PpoOptions
        {
            Capacity = spec.Agents, RolloutTicks = spec.RolloutTicks, Epochs = spec.Epochs, Minibatches = spec.Minibatches,
            UpdateStepsPerTick = updateStepsPerTick, Seed = 1,
        });
        var observation = new float[spec.Observations];
        for (int a = 0; a < spec.Agents; a++)
            Policy.Bind(World.Create(new Observation(observation), new AgentAction(), new Reward()));
    }

    /// <summary>The game's world.</summary>
    public World World { get; }

    /// <summary>The policy the agents share.</summary>
    public PpoPolicy Policy { get; }

    /// <summary>One tick of the game: environment, then the module's systems.</summary>
    public void Tick() => _game.Update(1f / 60);

    /// <summary>Uninstalls the module and disposes the world.</summary>
    public void Dispose()
    {
        _module.Dispose();
        _game.Dispose();
        World.Dispose();
    }

    /// <summary>Writes observations uniform in [−1, 1) and a reward uniform in [−1, 1) for every agent, keyed by (agent, tick).</summary>
    private sealed class RandomEnvironment(World world, int observations) : ISystem<float>
    {
        private static readonly QueryDescription Agents = new QueryDescription().WithAll<Observation, Reward>();
        private ulong _tick;

        public void Update(in float deltaTime)
        {
            ulong tick = _tick++;
            Span<float> sensed = stackalloc float[observations];
            foreach (Chunk chunk in world.Query(Agents))
            {
                ReadOnlySpan<Entity> agents = chunk.Entities;
                Span<Observation> observed = chunk.GetSpan<Observation>();
                Span<Reward> rewards = chunk.GetSpan<Reward>();
                for (int i = 0; i < agents.Length; i++)
                {
                    ulong agent = (ulong)agents[i].Id;
                    for (int j = 0; j < sensed.Length; j++)
                        sensed[j] = 2 * KeyedRandom.UniformSingle(EnvironmentSeed, agent, tick, (ulong)j) - 1;
                    observed[i].Values.Set(sensed);
                    rewards[i].Value += 2 * KeyedRandom.UniformSingle(EnvironmentSeed, agent, tick, (ulong)observations) - 1;
                }
            }
        }
    }
}
