using EcsNeural.Components;
using EcsNeural.Components.Agents;
using EcsNeural.Ecs;
using EcsNeural.Ecs.Jobs;
using EcsNeural.Systems.Graph;
using EcsNeural.Systems.Init;
using EcsNeural.Systems.Population;

namespace EcsNeural.Systems.Reinforcement;

/// <summary>
/// A policy that agents share and that learns from their rewards with PPO. Its acting graph holds one row per agent slot
/// (one instance, batch = slots, as ML-Agents shares one policy per agent kind); each tick the module gathers the agents'
/// observations into it (<see cref="Observe"/>), runs its forward pass with the other graphs, then samples each agent's
/// action, records the step in the rollout and, when the rollout is full, updates the learning graph on its minibatches
/// and copies the new parameters into the acting graph (<see cref="Act"/>). Create one with <see cref="PolicyRegistry.Create"/>.
/// </summary>
/// <remarks>
/// <para>A tick, for an agent bound with a <see cref="PolicyBrain"/>: its <see cref="Reward"/> (accumulated by the host since
/// last tick, then reset to 0) rewards its last action; an <see cref="EndEpisode"/> marker ends the episode with that action
/// (the marker is removed, and the agent does not learn from an action on the final observation); its
/// <see cref="Observation"/> goes into the network; its <see cref="AgentAction"/> receives a sampled action.</para>
/// <para>Exactness: parameters and normalisation statistics change only between rollouts (or, with a spread update, the
/// parameters when the update finishes), each rollout records the statistics it was collected under and every step the
/// log-probability of the action under the parameters that took it, so the probability ratios PPO clips are exact. Every
/// random number is keyed by (seed, agent entity, tick, component) and every sum runs in slot order: the same seed and
/// inputs give the same bits with any worker count.</para>
/// </remarks>
public sealed class PpoPolicy
{
    private static readonly QueryDescription Observing = new QueryDescription().WithAll<PolicyBrain, Observation>();
    private static readonly QueryDescription Actors = new QueryDescription().WithAll<PolicyBrain, AgentAction>();

    private readonly List<Entity> _ended = [];
    private readonly PpoUpdate? _update;
    private readonly float[] _statisticsMean, _statisticsVariance;
    private RolloutBuffer? _current, _spare;
    private readonly PolicySlots _slots;
    private bool[] _awaitingReward;
    private EndKind[] _endKind;
    private float[] _episodeReturn;
    private int[] _actedRows = [];
    private readonly float[] _sampled;   // one agent's action, of any width (stackalloc would put a wide one on the stack)
    private readonly double[] _std;      // σ per continuous action component, once per tick
    private readonly Entity[] _actingParameters = [], _trainingParameters = [];
    private double _episodeReturnSum;
    private long _episodes, _episodesSinceTake;

    internal PpoPolicy(NeuralRuntime runtime, JobScheduler scheduler, int observations, ActionSpace actions, PpoOptions options, bool learns,
        Func<ComputeGraph<float>, int, PolicyNodes> buildNetwork)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        ArgumentOutOfRangeException.ThrowIfLessThan(observations, 1);
        Runtime = runtime;
        Scheduler = scheduler;
        ObservationWidth = observations;
        Actions = actions;
        Options = options;
        Seed = options.Seed;
        Learns = learns;
        Capacity = options.Capacity;
        ActingGraph = runtime.CreateGraph<float>(1, Seed);
        ActingGraph.InferenceOnly = true;
        Acting = buildNetwork(ActingGraph, Capacity);
        Statistics = new RunningMoments(observations);
        _statisticsMean = new float[observations];
        _statisticsVariance = new float[observations];
        _slots = new PolicySlots(runtime.World, ActingGraph.Id, Capacity, Grow, ResetSlot);
        _awaitingReward = new bool[Capacity];
        _endKind = new EndKind[Capacity];
        _episodeReturn = new float[Capacity];
        _sampled = new float[actions.ActionWidth];
        _std = new double[actions.IsDiscrete ? 0 : actions.ActionWidth];
        if (learns)
        {
            TrainingGraph = runtime.CreateGraph<float>(1, Seed);
            TrainingGraph.RunsEachTick = false;
            int minibatch = (int)Math.Max(1, ((long)Capacity * options.RolloutTicks + options.Minibatches - 1) / options.Minibatches);
            Training = buildNetwork(TrainingGraph, minibatch);
            _trainingParameters = [.. TrainingGraph.Nodes().Where(TrainingGraph.World.Has<Trainable>)];   // creation order: the same in both graphs
            _actingParameters = [.. ActingGraph.Nodes().Where(ActingGraph.World.Has<Trainable>)];
            if (_trainingParameters.Length != _actingParameters.Length)
                throw new InvalidOperationException("The policy network builder made different networks for acting and learning.");
            _update = new PpoUpdate(TrainingGraph, Training, actions, options, Seed);
            int maskWidth = actions.IsDiscrete ? actions.Size : 0;
            _current = new RolloutBuffer(options.RolloutTicks, Capacity, observations, actions.ActionWidth, maskWidth);
            _spare = new RolloutBuffer(options.RolloutTicks, Capacity, observations, actions.ActionWidth, maskWidth);
        }
        CopyParametersToActing();   // the same initial parameters in both graphs
        PublishStatistics();
        _current?.Begin(_statisticsMean, _statisticsVariance);
    }

    private enum EndKind : byte { None, Terminal, Truncated }

    /// <summary>The policy's id: what an agent's <see cref="PolicyBrain.PolicyId"/> names (its acting graph's id).</summary>
    public int Id => ActingGraph.Id;
    /// <summary>The runtime holding the policy's graphs.</summary>
    public NeuralRuntime Runtime { get; }
    /// <summary>The scheduler its updates run on.</summary>
    public JobScheduler Scheduler { get; }
    /// <summary>Features per observation.</summary>
    public int ObservationWidth { get; }
    /// <summary>What the agents do.</summary>
    public ActionSpace Actions { get; }
    /// <summary>How it learns.</summary>
    public PpoOptions Options { get; }
    /// <summary>Seed of its initialisation, exploration and minibatch shuffles.</summary>
    public ulong Seed { get; }
    /// <summary>Whether it learns from reward (false: a trained policy shipped for inference; it keeps no rollout or learning graph).</summary>
    public bool Learns { get; }
    /// <summary>Whether agents sample their actions (true, default) or take the most likely one (to watch a trained policy).</summary>
    public bool Explore { get; set; } = true;
    /// <summary>Agent slots (rows of the acting graph); grows by doubling when more agents bind.</summary>
    public int Capacity { get; private set; }
    /// <summary>Agents bound now.</summary>
    public int BoundCount => _slots.BoundCount;
    /// <summary>Ticks the policy has acted (the step its random numbers are keyed by).</summary>
    public long Tick { get; private set; }
    /// <summary>The graph that acts for every agent each tick: one instance, a row per slot, no gradients.</summary>
    public ComputeGraph<float> ActingGraph { get; }
    /// <summary>The acting graph's nodes (read <see cref="PolicyNodes.PolicyLayers"/> there to draw activations).</summary>
    public PolicyNodes Acting { get; }
    /// <summary>The graph the updates train on minibatches (null when the policy does not learn). Checkpoints save this one.</summary>
    public ComputeGraph<float>? TrainingGraph { get; }
    /// <summary>The learning graph's nodes.</summary>
    public PolicyNodes? Training { get; }
    /// <summary>The running observation statistics the network normalises by (updated after each rollout).</summary>
    public RunningMoments Statistics { get; }
    /// <summary>Updates finished.</summary>
    public long Updates => _update?.Updates ?? 0;
    /// <summary>Whether an update is under way (spread over ticks by <see cref="PpoOptions.UpdateStepsPerTick"/>).</summary>
    public bool Updating => _update?.Active ?? false;
    /// <summary>The last finished update's losses, KL estimate, clip fraction and mean reward.</summary>
    public PolicyUpdateStatistics LastUpdate => _update?.Last ?? default;
    /// <summary>Episodes ended (by <see cref="EndEpisode"/>) so far.</summary>
    public long Episodes => _episodes;

    /// <summary>Mean return (summed rewards) of the episodes ended since the last call, or null when none ended; resets the tally.</summary>
    public double? TakeMeanEpisodeReturn()
    {
        if (_episodesSinceTake == 0)
            return null;
        double mean = _episodeReturnSum / _episodesSinceTake;
        _episodeReturnSum = 0;
        _episodesSinceTake = 0;
        return mean;
    }

    /// <summary>The agent in <paramref name="slot"/>, or <see cref="Entity.Null"/> for a free slot.</summary>
    public Entity AgentOf(int slot)
    {
        if ((uint)slot >= (uint)Capacity)
            throw new ArgumentOutOfRangeException(nameof(slot), slot, $"Policy {Id} has {Capacity} slots.");
        return _slots.AgentOf(slot);
    }

    /// <summary>
    /// Binds <paramref name="agent"/> to the lowest free slot and gives it a <see cref="PolicyBrain"/>; returns the slot. The
    /// agent needs an <see cref="Observation"/> of <see cref="ObservationWidth"/> values, an <see cref="AgentAction"/> and —
    /// when the policy learns — a <see cref="Reward"/> (checked every tick).
    /// </summary>
    /// <exception cref="ArgumentException">The agent is dead or already bound to a network.</exception>
    public int Bind(Entity agent)
    {
        ThrowIfRetired();
        return _slots.Bind(agent);
    }

    /// <summary>Unbinds a live agent: removes its <see cref="PolicyBrain"/> and frees its slot (its last step is not learned from).</summary>
    /// <exception cref="ArgumentException">The agent is not bound to this policy.</exception>
    public void Unbind(Entity agent)
    {
        ThrowIfRetired();
        _slots.Unbind(agent);
    }

    /// <summary>Whether the module that made the policy was uninstalled (its graphs are gone; binding is refused).</summary>
    public bool IsRetired { get; private set; }

    /// <summary>Marks the policy as gone with its module: later binds throw <see cref="ObjectDisposedException"/>.</summary>
    internal void Retire() => IsRetired = true;

    private void ThrowIfRetired()
    {
        if (IsRetired)
            throw new ObjectDisposedException($"policy {Id}", $"Policy {Id} belongs to a neural module that was uninstalled (disposed); bind agents to a policy of the installed module.");
    }

    /// <summary>Runs the rest of an update that is spread over ticks, now (e.g. before saving).</summary>
    public void CompleteUpdate()
    {
        if (_update is { Active: true })
        {
            _update.Finish(Scheduler);
            CopyParametersToActing();
        }
    }

    /// <summary>
    /// Writes the running observation statistics into the learning graph's constant nodes, so a checkpoint of
    /// <see cref="TrainingGraph"/> holds them. Finishes a spread update first.
    /// </summary>
    public void PrepareToSave()
    {
        CompleteUpdate();
        if (TrainingGraph is null)
            return;
        TrainingGraph.Values(Training!.ObservationCount, 0)[0] = (float)Statistics.Count;
        _statisticsMean.CopyTo(TrainingGraph.Values(Training.ObservationMean, 0));
        _statisticsVariance.CopyTo(TrainingGraph.Values(Training.ObservationVariance, 0));
    }

    /// <summary>
    /// Adopts the parameters and observation statistics a checkpoint was just loaded into (the learning graph, or the acting
    /// graph of a policy that does not learn): copies them to the acting graph and starts a fresh rollout.
    /// </summary>
    public void AdoptLoadedState()
    {
        ComputeGraph<float> source = TrainingGraph ?? ActingGraph;
        PolicyNodes nodes = Training ?? Acting;
        var mean = source.Values(nodes.ObservationMean, 0);
        var variance = source.Values(nodes.ObservationVariance, 0);
        Statistics.Restore(source.Values(nodes.ObservationCount, 0)[0], mean, variance);
        if (TrainingGraph is not null)
        {
            _update!.Abandon();
            CopyParametersToActing();
        }
        PublishStatistics();
        _current?.Begin(_statisticsMean, _statisticsVariance);
        Array.Clear(_awaitingReward);
    }

    /// <summary>
    /// Before the forward pass: binds spawned agents, frees the slots of destroyed ones, rewards last tick's actions,
    /// records episode ends and writes every bound agent's observation into its row of the acting graph.
    /// </summary>
    internal void Observe()
    {
        World world = Runtime.World;
        _slots.Reconcile();
        Span<float> observations = ActingGraph.AllValues(Acting.Observation);
        int pendingTick = _current is { Position: > 0 } ? _current.Position - 1 : -1;
        foreach (Chunk chunk in world.Query(Observing))
        {
            ReadOnlySpan<Entity> agents = chunk.Entities;
            Span<PolicyBrain> brains = chunk.GetSpan<PolicyBrain>();
            Span<Observation> sensed = chunk.GetSpan<Observation>();
            bool rewarded = chunk.Has<Reward>(), ends = chunk.Has<EndEpisode>(), masked = chunk.Has<ActionMask>();
            Span<Reward> rewards = rewarded ? chunk.GetSpan<Reward>() : default;
            Span<EndEpisode> endings = ends ? chunk.GetSpan<EndEpisode>() : default;
            Span<ActionMask> masks = masked ? chunk.GetSpan<ActionMask>() : default;
            for (int i = 0; i < brains.Length; i++)
            {
                if (brains[i].PolicyId != Id || !brains[i].IsBound)
                    continue;
                Entity agent = agents[i];
                int slot = brains[i].Slot;
                ReadOnlySpan<float> x = sensed[i].Values.AsReadOnlySpan();
                if (x.Length != ObservationWidth)
                    throw new AgentComponentException(agent, nameof(Observation), $"has {x.Length} values, but policy {Id} observes {ObservationWidth}");
                for (int j = 0; j < x.Length; j++)
                {
                    if (!float.IsFinite(x[j]))
                        throw new AgentComponentException(agent, nameof(Observation), $"value {j} is {x[j]}; observations must be finite");
                }
                x.CopyTo(observations.Slice(slot * ObservationWidth, ObservationWidth));
                if (masked)
                    CheckMask(agent, masks[i].Allowed.AsReadOnlySpan());
                EndKind end = ends ? (endings[i].Truncated ? EndKind.Truncated : EndKind.Terminal) : EndKind.None;
                if (ends)
                    _ended.Add(agent);
                if (!Learns)
                    continue;
                if (!rewarded)
                    throw new AgentComponentException(agent, nameof(Reward), $"is missing: policy {Id} learns from reward; add a Reward component (0 when nothing happened)");
                float reward = rewards[i].Value;
                if (!float.IsFinite(reward))
                    throw new AgentComponentException(agent, nameof(Reward), $"is {reward}; rewards must be finite");
                rewards[i].Value = 0;
                if (_awaitingReward[slot] && pendingTick >= 0)
                {
                    _current!.Rewarded(pendingTick, slot, reward, end switch
                    {
                        EndKind.Terminal => StepOutcome.Terminal,
                        EndKind.Truncated => StepOutcome.Truncated,
                        _ => StepOutcome.None,
                    });
                    _awaitingReward[slot] = false;
                }
                _episodeReturn[slot] += reward;
                if (end != EndKind.None)
                {
                    _endKind[slot] = end;
                    _episodeReturnSum += _episodeReturn[slot];
                    _episodes++;
                    _episodesSinceTake++;
                    _episodeReturn[slot] = 0;
                }
            }
        }
        foreach (Entity agent in _ended)
            world.Remove<EndEpisode>(agent);
        _ended.Clear();
    }

    /// <summary>
    /// After the forward pass: closes a full rollout (bootstrap values, advantages, new statistics, the update — the whole of
    /// it, or, when spread, its start — and a forward pass under the new parameters), then samples every bound agent's
    /// action into its <see cref="AgentAction"/> and records the step; finally advances a spread update (from the tick after
    /// the closing one).
    /// </summary>
    internal void Act()
    {
        World world = Runtime.World;
        bool closing = Learns && _current!.IsFull;
        if (closing)
            CloseRollout();
        ReadOnlySpan<float> head = ActingGraph.AllValues(Acting.PolicyHead), values = ActingGraph.AllValues(Acting.Value);
        ReadOnlySpan<float> observations = ActingGraph.AllValues(Acting.Observation);
        ReadOnlySpan<float> logStd = Actions.IsDiscrete ? default : ActingGraph.Values(Acting.LogStd, 0);
        if (!Actions.IsDiscrete && Explore)
            GaussianActions.StandardDeviations(logStd, _std);
        int tick = Learns ? _current!.NextTick() : -1;
        int width = Actions.HeadWidth;
        Span<float> sampled = _sampled;
        foreach (Chunk chunk in world.Query(Actors))
        {
            ReadOnlySpan<Entity> agents = chunk.Entities;
            Span<PolicyBrain> brains = chunk.GetSpan<PolicyBrain>();
            Span<AgentAction> actions = chunk.GetSpan<AgentAction>();
            bool masked = chunk.Has<ActionMask>();
            Span<ActionMask> masks = masked ? chunk.GetSpan<ActionMask>() : default;
            for (int i = 0; i < brains.Length; i++)
            {
                if (brains[i].PolicyId != Id || !brains[i].IsBound)
                    continue;
                int slot = brains[i].Slot;
                ReadOnlySpan<float> row = head.Slice(slot * width, width);
                ReadOnlySpan<float> mask = masked ? masks[i].Allowed.AsReadOnlySpan() : default;
                ulong agentKey = (ulong)(uint)agents[i].Id | (ulong)(uint)agents[i].Version << 32;
                float logProbability = 0;
                if (Actions.IsDiscrete)
                {
                    int chosen = Explore
                        ? CategoricalActions.Sample(row, mask, KeyedRandom.Uniform(Seed, agentKey, (ulong)Tick, 0), out logProbability)
                        : CategoricalActions.Mode(row, mask);
                    sampled[0] = chosen;
                }
                else if (Explore)
                    logProbability = GaussianActions.Sample(row, logStd, _std, Seed, agentKey, (ulong)Tick, sampled);
                else
                    GaussianActions.Mode(row, sampled);
                actions[i].Values.Set(sampled);
                if (!Learns)
                    continue;
                if (_endKind[slot] != EndKind.None)
                {
                    if (_endKind[slot] == EndKind.Truncated && tick > 0)
                        _current!.Bootstrap(tick - 1, slot, values[slot]);
                    _endKind[slot] = EndKind.None;   // the final observation is not acted on; the next tick starts the new episode
                    continue;
                }
                if (!Explore)
                    continue;   // the mode is not a sample of the policy: nothing to learn from
                observations.Slice(slot * ObservationWidth, ObservationWidth).CopyTo(_current!.Observation(tick, slot));
                sampled.CopyTo(_current.Action(tick, slot));
                if (Actions.IsDiscrete)
                {
                    Span<float> recordedMask = _current.Mask(tick, slot);
                    if (masked)
                        mask.CopyTo(recordedMask);
                    else
                        recordedMask.Fill(1);
                }
                _current.Acted(tick, slot, logProbability, values[slot]);
                _awaitingReward[slot] = true;
            }
        }
        Tick++;
        // A spread update starts on the tick after the one that closed its rollout, which has the closing work to do already.
        if (!closing && _update is { Active: true } && Options.UpdateStepsPerTick > 0 && _update.Advance(Scheduler, Options.UpdateStepsPerTick))
            CopyParametersToActing();
    }

    /// <summary>
    /// The full rollout's last rewards came in this tick: bootstrap from this tick's values, estimate advantages, fold its
    /// observations into the statistics, start the update (and finish it unless it is spread), and act on this tick's
    /// observations under the new statistics and parameters.
    /// </summary>
    private void CloseRollout()
    {
        if (_update!.Active)
        {
            _update.Finish(Scheduler);   // the spare buffer is still being learned from: finish before reusing it
            CopyParametersToActing();
        }
        RolloutBuffer finished = _current!;
        ReadOnlySpan<float> values = ActingGraph.AllValues(Acting.Value);
        int last = finished.Ticks - 1;
        for (int slot = 0; slot < Capacity; slot++)
        {
            if (_slots.AgentOf(slot) == Entity.Null)
                continue;
            if (_endKind[slot] == EndKind.Truncated)
                finished.Bootstrap(last, slot, values[slot]);
            else if (_endKind[slot] == EndKind.None)
                finished.Final(slot, values[slot]);
        }
        finished.Estimate((float)Options.Gamma, (float)Options.Lambda);
        finished.NormalizeAdvantages();
        if (Options.NormalizeObservations)
        {
            if (_actedRows.Length < finished.Ticks * finished.Slots)
                _actedRows = new int[finished.Ticks * finished.Slots];
            int acted = finished.ActedSamples(_actedRows);
            Statistics.Merge(finished.Observations, _actedRows.AsSpan(0, acted));
            PublishStatistics();
        }
        (_current, _spare) = (_spare, finished);
        _current!.Begin(_statisticsMean, _statisticsVariance);
        _update.Begin(finished);
        if (Options.UpdateStepsPerTick == 0)
        {
            _update.Finish(Scheduler);
            CopyParametersToActing();
        }
        GraphPasses.Forward(ActingGraph, Scheduler);
    }

    /// <summary>The statistics as the graphs' float constants, written into the acting graph.</summary>
    private void PublishStatistics()
    {
        for (int j = 0; j < ObservationWidth; j++)
        {
            _statisticsMean[j] = Options.NormalizeObservations ? (float)Statistics.Mean(j) : 0;
            _statisticsVariance[j] = Options.NormalizeObservations ? (float)Statistics.Variance(j) : 1;
        }
        ActingGraph.Values(Acting.ObservationCount, 0)[0] = (float)Statistics.Count;
        _statisticsMean.CopyTo(ActingGraph.Values(Acting.ObservationMean, 0));
        _statisticsVariance.CopyTo(ActingGraph.Values(Acting.ObservationVariance, 0));
    }

    private void CopyParametersToActing()
    {
        if (TrainingGraph is null)
            return;
        for (int p = 0; p < _actingParameters.Length; p++)
            TrainingGraph.Values(_trainingParameters[p], 0).CopyTo(ActingGraph.Values(_actingParameters[p], 0));
    }

    private void CheckMask(Entity agent, ReadOnlySpan<float> allowed)
    {
        if (!Actions.IsDiscrete)
            throw new AgentComponentException(agent, nameof(ActionMask), $"is set, but policy {Id} has continuous actions ({Actions}); masks are for discrete actions");
        if (allowed.Length != Actions.Size)
            throw new AgentComponentException(agent, nameof(ActionMask), $"has {allowed.Length} flags, but policy {Id} chooses among {Actions.Size} actions");
        bool any = false;
        for (int k = 0; k < allowed.Length; k++)
        {
            if (allowed[k] is not (0 or 1))
                throw new AgentComponentException(agent, nameof(ActionMask), $"flag {k} is {allowed[k]}; each flag is 1 (allowed) or 0 (masked)");
            any |= allowed[k] == 1;
        }
        if (!any)
            throw new AgentComponentException(agent, nameof(ActionMask), "masks every action; at least one must be allowed");
    }

    /// <summary>A slot changes hands: what the policy kept about its last step and episode no longer applies.</summary>
    private void ResetSlot(int slot)
    {
        _awaitingReward[slot] = false;   // a leaver's last step never gets its reward: not learned from
        _endKind[slot] = EndKind.None;
        _episodeReturn[slot] = 0;
    }

    /// <summary>Doubles the slots: the acting graph's batch, the rollouts and the per-slot state (an update under way finishes first).</summary>
    private void Grow(int capacity)
    {
        CompleteUpdate();
        new GraphBuilder(ActingGraph).ResizeBatch(capacity, Acting.Observation);
        Array.Resize(ref _awaitingReward, capacity);
        Array.Resize(ref _endKind, capacity);
        Array.Resize(ref _episodeReturn, capacity);
        _current?.Grow(capacity);
        _spare?.Grow(capacity);
        Capacity = capacity;
    }
}
