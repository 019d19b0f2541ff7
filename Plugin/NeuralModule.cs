using System.Runtime.CompilerServices;
using EcsNeural.Components.Agents;
using EcsNeural.Ecs;
using EcsNeural.Ecs.Jobs;
using EcsNeural.Plugin.Agents;
using EcsNeural.Plugin.Building;
using EcsNeural.Systems;
using EcsNeural.Systems.Graph;
using EcsNeural.Systems.Population;
using EcsNeural.Systems.Reinforcement;

namespace EcsNeural.Plugin;

/// <summary>
/// The neural module installed in one host world (made by <see cref="NeuralPlugin.Install"/>). Owns a
/// <see cref="NeuralRuntime"/> for the world and the systems it added to the host's group; <see cref="Dispose"/>
/// uninstalls it, releasing every graph entity, tensor arena and pending job it made and the agents' bindings.
/// A world hosts at most one module at a time (agents' <see cref="Brain"/>s name graphs by id).
/// </summary>
public sealed class NeuralModule : IDisposable
{
    private static readonly ConditionalWeakTable<World, NeuralModule> Installed = [];
    private readonly IHosting _hosting;
    private bool _disposed;

    private NeuralModule(World world, JobScheduler scheduler, NeuralPluginOptions options, Func<NeuralModule, IHosting> attach)
    {
        World = world;
        Scheduler = scheduler;
        Options = options;
        if (!Installed.TryAdd(world, this))
            throw new InvalidOperationException("This world already hosts the neural module; uninstall it (Dispose its NeuralModule) first.");
        Runtime = new NeuralRuntime(world, options.Numerics);
        Populations = new PopulationRegistry(Runtime);
        Policies = new PolicyRegistry(Runtime, scheduler);
        try
        {
            _hosting = attach(this);
        }
        catch
        {
            Installed.Remove(world);
            throw;
        }
    }

    /// <summary>Installs into <paramref name="hostGroup"/>, whatever its per-frame state type.</summary>
    internal static NeuralModule Install<TState>(World world, JobScheduler scheduler, SystemGroup<TState> hostGroup, NeuralPluginOptions options)
        => new(world, scheduler, options, module => new Hosting<TState>(module, hostGroup));

    /// <summary>The host world.</summary>
    public World World { get; }

    /// <summary>The scheduler the module's jobs run on.</summary>
    public JobScheduler Scheduler { get; }

    /// <summary>The options it was installed with.</summary>
    public NeuralPluginOptions Options { get; }

    /// <summary>The world's graphs. Create graphs here for the general <see cref="GraphBuilder"/>.</summary>
    public NeuralRuntime Runtime { get; }

    /// <summary>The world's agent populations (graphs whose instances are agents' brains).</summary>
    public PopulationRegistry Populations { get; }

    /// <summary>The world's reward-learning policies (networks all their agents share, trained with PPO).</summary>
    public PolicyRegistry Policies { get; }

    /// <summary>
    /// The module's systems, nested in the host's group, in this order: Compile (waits for last tick's jobs, recompiles
    /// changed graphs) → Gather (agents' observations and targets into the populations' inputs) → PolicyObserve (rewards and
    /// episode ends of policy agents' last actions, their observations into the policies) → Forward → Backward → Optimizer
    /// (training only) → Complete (waits, so outputs are readable after the host's update) → Scatter (outputs into agents'
    /// actions) → PolicyAct (policy agents' sampled actions, rollouts, PPO updates) → DecisionPeriod (holds actions between
    /// an agent's decision ticks).
    /// </summary>
    public ISystemGroup Group => _hosting.Group;

    /// <summary>Ticks the module has run (the tick number <see cref="DecisionPeriod"/> counts in).</summary>
    public long Tick => _hosting.Tick;

    /// <summary>Whether the module was installed for training or inference only.</summary>
    public PluginMode Mode => Options.Mode;

    /// <summary>
    /// Instantiates <paramref name="architecture"/> as a new graph of <see cref="NetworkOptions.Instances"/> instances.
    /// In <see cref="PluginMode.Inference"/> the graph keeps no gradient or optimizer storage.
    /// </summary>
    public MlpNetwork<float> CreateNetwork(Mlp architecture, NetworkOptions? options = null)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ArgumentNullException.ThrowIfNull(architecture);
        options ??= new NetworkOptions();
        ComputeGraph<float> graph = Runtime.CreateGraph<float>(options.Instances, options.Seed);
        try
        {
            graph.InferenceOnly = Mode == PluginMode.Inference;
            if (options.Optimizer is not null)
                graph.Optimizer = options.Optimizer;
            return architecture.Build(graph, options.Batch, options.Loss);
        }
        catch
        {
            Runtime.DestroyGraph(graph);
            throw;
        }
    }

    /// <summary>
    /// Instantiates <paramref name="architecture"/> as an agent population: <see cref="NetworkOptions.Instances"/>
    /// instances wait for agents (more are added as agents bind), the input receives the agents' observations, the output
    /// goes to their actions and, with a loss, the target input receives their targets.
    /// </summary>
    public AgentNetwork CreatePopulation(Mlp architecture, NetworkOptions? options = null)
    {
        MlpNetwork<float> network = CreateNetwork(architecture, options);
        try
        {
            return new AgentNetwork(network, Populations.Create(network.Graph, network.Input, network.Output,
                network.Target == Entity.Null ? null : network.Target));
        }
        catch
        {
            Runtime.DestroyGraph(network.Graph);
            throw;
        }
    }

    /// <summary>
    /// Creates a policy that learns from its agents' rewards with PPO (<see cref="PpoPolicy"/>): every agent bound to it
    /// shares one network — <paramref name="hidden"/>'s layers, then a policy head for <paramref name="actions"/> — and a
    /// value network of the same hidden layers. Bind agents with <c>policy.Bind(agent)</c>; they need an
    /// <see cref="Observation"/> of <c>hidden.InputFeatures</c> values, an <see cref="AgentAction"/> and a <see cref="Reward"/>.
    /// In <see cref="PluginMode.Inference"/> the policy acts but does not learn (load a checkpoint into it).
    /// </summary>
    /// <param name="hidden">The hidden layers, e.g. <c>Mlp.Input(16).Dense(64, Activation.Tanh).Dense(64, Activation.Tanh)</c>.</param>
    /// <param name="actions">Continuous (Gaussian) or discrete (categorical) actions.</param>
    /// <param name="options">PPO's settings (defaults when null).</param>
    public PpoPolicy CreatePolicy(Mlp hidden, ActionSpace actions, PpoOptions? options = null)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ArgumentNullException.ThrowIfNull(hidden);
        options ??= new PpoOptions();
        int graphs = Runtime.Graphs.Count;
        try
        {
            return Policies.Create(hidden.InputFeatures, actions, options, Mode == PluginMode.Training,
                (graph, batch) => PolicyNetwork.Build(graph, batch, hidden, actions));
        }
        catch
        {
            while (Runtime.Graphs.Count > graphs)
                Runtime.DestroyGraph(Runtime.Graphs[^1]);
            throw;
        }
    }

    /// <summary>
    /// Uninstalls: waits for pending jobs, removes the module's group from the host's, removes the <see cref="Brain"/>
    /// bindings it gave agents (the agents and their other components stay), destroys every graph's entities.
    /// </summary>
    public void Dispose()
    {
        if (_disposed)
            return;
        _disposed = true;
        try
        {
            Runtime.CompleteAll();
        }
        finally
        {
            _hosting.Detach();
            Populations.RetireAll();
            Policies.RetireAll();
            var bound = new List<Entity>();
            World.Query(new QueryDescription().WithAll<Brain>(), (Entity agent, ref Brain _) => bound.Add(agent));
            foreach (Entity agent in bound)
                World.Remove<Brain>(agent);
            bound.Clear();
            World.Query(new QueryDescription().WithAll<PolicyBrain>(), (Entity agent, ref PolicyBrain _) => bound.Add(agent));
            foreach (Entity agent in bound)
                World.Remove<PolicyBrain>(agent);
            while (Runtime.Graphs.Count > 0)
                Runtime.DestroyGraph(Runtime.Graphs[^1]);
            Installed.Remove(World);
        }
    }

    /// <summary>The module's group inside the host's, typed by the host's per-frame state.</summary>
    private interface IHosting
    {
        ISystemGroup Group { get; }
        long Tick { get; }
        void Detach();
    }

    private sealed class Hosting<TState> : IHosting
    {
        private readonly SystemGroup<TState> _host;
        private readonly SystemGroup<TState> _group;
        private readonly DecisionPeriodSystem<TState> _decisions;

        public Hosting(NeuralModule module, SystemGroup<TState> host)
        {
            _host = host;
            _decisions = new DecisionPeriodSystem<TState>(module.World);
            _group = NeuralSystems.Pipeline<TState>(module.Options.GroupName, module.Runtime, module.Scheduler,
                module.Mode == PluginMode.Training, module.Populations, module.Policies).Add(_decisions);
            _group.Initialize();
            host.Add(_group);
        }

        public ISystemGroup Group => _group;
        public long Tick => _decisions.Tick;

        public void Detach()
        {
            _host.Remove(_group);
            _group.Dispose();
        }
    }
}
