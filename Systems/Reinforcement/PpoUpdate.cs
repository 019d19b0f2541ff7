using System.Diagnostics;
using EcsNeural.Ecs;
using EcsNeural.Ecs.Jobs;
using EcsNeural.Systems.Graph;
using EcsNeural.Systems.Init;
using EcsNeural.Systems.Kernels;
using EcsNeural.Systems.Ops;

namespace EcsNeural.Systems.Reinforcement;

/// <summary>
/// One policy's learning graph and the PPO update that runs on it: <see cref="PpoOptions.Epochs"/> passes over a finished
/// rollout, each a fresh keyed shuffle of its usable samples cut into minibatches of the graph's batch; each minibatch is
/// one forward → backward → optimizer step of the graph on the module's scheduler. The update can run to the end at once
/// (<see cref="Finish"/>) or a few steps per tick (<see cref="Advance"/>).
/// </summary>
internal sealed class PpoUpdate
{
    private readonly ComputeGraph<float> _graph;
    private readonly PolicyNodes _network;
    private readonly ActionSpace _actions;
    private readonly PpoOptions _options;
    private readonly ulong _seed;
    private readonly Entity _action, _mask, _oldLogLikelihood, _advantage, _return, _ratio, _policyLoss, _valueLoss, _entropy;
    private int[] _order = [];
    private int[] _rows = [];     // this minibatch's samples, ascending
    private int[] _counts = [];   // per flat sample: how often this minibatch takes it
    private readonly float[] _logRatios;   // Measure's ln r per minibatch row
    private RolloutBuffer? _rollout;
    private int _epoch, _minibatch, _minibatchesPerEpoch, _steps;
    private double _policyLossSum, _valueLossSum, _entropySum, _klSum, _clippedSum, _meanReward;
    private long _elapsedTicks;   // Stopwatch ticks spent in this update so far

    public PpoUpdate(ComputeGraph<float> graph, PolicyNodes network, ActionSpace actions, PpoOptions options, ulong seed)
    {
        _graph = graph;
        _network = network;
        _actions = actions;
        _options = options;
        _seed = seed;
        MinibatchSize = graph.ShapeOfUncompiled(network.Observation).Rows;
        _logRatios = new float[MinibatchSize];
        var nn = new GraphBuilder(graph);
        Entity logLikelihood, entropy;
        if (actions.IsDiscrete)
        {
            _action = nn.Input(MinibatchSize, actions.Size);   // one-hot
            _mask = nn.Input(MinibatchSize, actions.Size);
            Entity logProbabilities = CategoricalActions.LogProbabilities(nn, network.PolicyHead, _mask);
            logLikelihood = CategoricalActions.LogLikelihood(nn, logProbabilities, _action);
            entropy = CategoricalActions.Entropy(nn, logProbabilities);
        }
        else
        {
            _action = nn.Input(MinibatchSize, actions.Size);
            _mask = Entity.Null;
            logLikelihood = GaussianActions.LogLikelihood(nn, network.PolicyHead, network.LogStd, _action);
            entropy = GaussianActions.Entropy(nn, network.LogStd);
        }
        _oldLogLikelihood = nn.Input(MinibatchSize, 1);
        _advantage = nn.Input(MinibatchSize, 1);
        _return = nn.Input(MinibatchSize, 1);
        (_policyLoss, _ratio) = ClippedSurrogate.Build(nn, logLikelihood, _oldLogLikelihood, _advantage, options.Clip);
        _valueLoss = nn.MseLoss(network.Value, _return);
        _entropy = entropy;
        graph.Loss = nn.Add(nn.Add(_policyLoss, nn.Scale(_valueLoss, options.ValueCoefficient)), nn.Scale(entropy, -options.EntropyCoefficient));
        graph.Optimizer = options.Optimizer;
    }

    /// <summary>Samples per minibatch step (the learning graph's batch).</summary>
    public int MinibatchSize { get; }

    /// <summary>Whether an update is under way.</summary>
    public bool Active => _rollout is not null;

    /// <summary>Updates finished so far.</summary>
    public long Updates { get; private set; }

    /// <summary>The last finished update's statistics.</summary>
    public PolicyUpdateStatistics Last { get; private set; }

    /// <summary>Starts an update on <paramref name="rollout"/> (estimated and with normalised advantages).</summary>
    public void Begin(RolloutBuffer rollout)
    {
        if (Active)
            throw new InvalidOperationException("A PPO update is already under way; finish it first.");
        if (rollout.UsableCount == 0)
            return;   // nothing to learn from (every agent left, or no reward came)
        long start = Stopwatch.GetTimestamp();
        _rollout = rollout;
        if (_order.Length < rollout.UsableCount)
            _order = new int[rollout.Ticks * rollout.Slots];
        if (_counts.Length < rollout.Ticks * rollout.Slots)
            _counts = new int[rollout.Ticks * rollout.Slots];
        if (_rows.Length < MinibatchSize)
            _rows = new int[MinibatchSize];
        rollout.NormalizerMean.CopyTo(_graph.Values(_network.ObservationMean, 0));
        rollout.NormalizerVariance.CopyTo(_graph.Values(_network.ObservationVariance, 0));
        _minibatchesPerEpoch = (rollout.UsableCount + MinibatchSize - 1) / MinibatchSize;
        _epoch = _minibatch = _steps = 0;
        _policyLossSum = _valueLossSum = _entropySum = _klSum = _clippedSum = 0;
        double rewards = 0;
        foreach (int sample in rollout.Usable)
            rewards += rollout.SampleReward(sample);
        _meanReward = rewards / rollout.UsableCount;
        Shuffle();
        _elapsedTicks = Stopwatch.GetTimestamp() - start;
    }

    /// <summary>Drops an update under way (its rollout is stale, e.g. after a checkpoint was loaded).</summary>
    public void Abandon() => _rollout = null;

    /// <summary>Runs up to <paramref name="steps"/> minibatch steps; returns true when the update finished.</summary>
    public bool Advance(JobScheduler scheduler, int steps)
    {
        for (int s = 0; s < steps && Active; s++)
            Step(scheduler);
        return !Active;
    }

    /// <summary>Runs the update's remaining steps.</summary>
    public void Finish(JobScheduler scheduler)
    {
        while (Active)
            Step(scheduler);
    }

    private void Step(JobScheduler scheduler)
    {
        long start = Stopwatch.GetTimestamp();
        RolloutBuffer rollout = _rollout!;
        SortMinibatch(rollout);
        FillMinibatch(rollout, scheduler);
        GraphPasses.Train(_graph, scheduler);
        Measure();
        if (++_minibatch == _minibatchesPerEpoch)
        {
            _minibatch = 0;
            if (++_epoch == _options.Epochs)
            {
                Updates++;
                _elapsedTicks += Stopwatch.GetTimestamp() - start;
                Last = new PolicyUpdateStatistics(Updates, rollout.UsableCount, _steps, _policyLossSum / _steps, _valueLossSum / _steps,
                    _entropySum / _steps, _klSum / _steps, _clippedSum / _steps, _meanReward,
                    Stopwatch.GetElapsedTime(0, _elapsedTicks).TotalMilliseconds);
                _rollout = null;
                return;
            }
            Shuffle();
        }
        _elapsedTicks += Stopwatch.GetTimestamp() - start;
    }

    /// <summary>This epoch's order of the usable samples: a Fisher–Yates shuffle keyed by (seed, update, epoch, position).</summary>
    private void Shuffle()
    {
        ReadOnlySpan<int> usable = _rollout!.Usable;
        Span<int> order = _order.AsSpan(0, usable.Length);
        usable.CopyTo(order);
        for (int i = order.Length - 1; i > 0; i--)
        {
            int j = (int)(KeyedRandom.Bits(_seed, (ulong)Updates, (ulong)_epoch, (ulong)i) % (ulong)(i + 1));
            (order[i], order[j]) = (order[j], order[i]);
        }
    }

    /// <summary>
    /// This minibatch's samples (its slice of the epoch's order; the last one of a pass wraps around) in ascending order,
    /// by counting: the gather then walks the rollout forwards instead of jumping through it at random (the shuffled
    /// gather missed the cache on nearly every sample). A minibatch is a set, so the order of its rows changes no
    /// gradient but the rounding of its sums, and that only as the seed does.
    /// </summary>
    private void SortMinibatch(RolloutBuffer rollout)
    {
        int count = rollout.UsableCount, first = _minibatch * MinibatchSize;
        Span<int> counts = _counts.AsSpan(0, rollout.Ticks * rollout.Slots);
        counts.Clear();
        for (int r = 0; r < MinibatchSize; r++)
            counts[_order[(first + r) % count]]++;
        int row = 0;
        foreach (int sample in rollout.Usable)   // ascending
            for (int c = counts[sample]; c > 0; c--)
                _rows[row++] = sample;
    }

    /// <summary>
    /// Copies the minibatch's samples into the graph's inputs, in parallel blocks of <see cref="FillRows"/> rows: the
    /// gather of 16,384 scattered samples was a serial 1.3 ms of each step. Copies only, so any split gives the same bits.
    /// </summary>
    private void FillMinibatch(RolloutBuffer rollout, JobScheduler scheduler)
    {
        var inputs = new MinibatchInputs(_graph.ValueAddress(_network.Observation), _graph.ValueAddress(_action),
            _mask == Entity.Null ? default : _graph.ValueAddress(_mask), _graph.ValueAddress(_oldLogLikelihood),
            _graph.ValueAddress(_advantage), _graph.ValueAddress(_return));
        scheduler.Complete(scheduler.ScheduleParallelFor(new FillJob(this, rollout, inputs), MinibatchSize, FillRows));
    }

    /// <summary>Rows of a minibatch one fill job copies.</summary>
    private const int FillRows = 2048;

    /// <summary>Copies rows [start, end) of the minibatch (<see cref="SortMinibatch"/>).</summary>
    private void Fill(RolloutBuffer rollout, in MinibatchInputs inputs, int start, int end)
    {
        int width = rollout.ObservationWidth, k = _actions.Size;
        Span<float> observations = inputs.Observations.Span(MinibatchSize * width), actions = inputs.Actions.Span(MinibatchSize * k);
        Span<float> masks = _actions.IsDiscrete ? inputs.Masks.Span(MinibatchSize * k) : default;
        Span<float> old = inputs.OldLogLikelihoods.Span(MinibatchSize), advantages = inputs.Advantages.Span(MinibatchSize);
        Span<float> returns = inputs.Returns.Span(MinibatchSize);
        for (int r = start; r < end; r++)
        {
            int sample = _rows[r];
            rollout.SampleObservation(sample).CopyTo(observations.Slice(r * width, width));
            Span<float> action = actions.Slice(r * k, k);
            if (_actions.IsDiscrete)
            {
                action.Clear();
                action[(int)rollout.SampleAction(sample)[0]] = 1;
                rollout.SampleMask(sample).CopyTo(masks.Slice(r * k, k));
            }
            else
                rollout.SampleAction(sample).CopyTo(action);
            old[r] = rollout.SampleLogProbability(sample);
            advantages[r] = rollout.SampleAdvantage(sample);
            returns[r] = rollout.SampleReturn(sample);
        }
    }

    /// <summary>Where the learning graph's minibatch inputs live (the mask's is default for continuous actions).</summary>
    private readonly record struct MinibatchInputs(TensorAddress<float> Observations, TensorAddress<float> Actions, TensorAddress<float> Masks,
        TensorAddress<float> OldLogLikelihoods, TensorAddress<float> Advantages, TensorAddress<float> Returns);

    /// <summary>One block of minibatch rows, filled on whichever worker runs it.</summary>
    private readonly struct FillJob(PpoUpdate update, RolloutBuffer rollout, MinibatchInputs inputs) : IJobParallelFor
    {
        public void Execute(int blockIndex, int start, int end) => update.Fill(rollout, inputs, start, end);
    }

    /// <summary>Adds this step's losses, clip fraction and KL estimate (from the ratio node) to the update's sums.</summary>
    private void Measure()
    {
        _steps++;
        _policyLossSum += _graph.Values(_policyLoss, 0)[0];
        _valueLossSum += _graph.Values(_valueLoss, 0)[0];
        _entropySum += _graph.Values(_entropy, 0)[0];
        ReadOnlySpan<float> ratios = _graph.Values(_ratio, 0);
        Span<float> logRatios = _logRatios.AsSpan(0, ratios.Length);
        ElementMath.Log<float>(ratios, logRatios);   // the same bits on every CPU, and a vector pass, not a call per ratio
        double kl = 0;
        int clipped = 0;
        for (int i = 0; i < ratios.Length; i++)
        {
            float r = ratios[i];
            kl += r - 1 - (double)logRatios[i];
            if (Math.Abs(r - 1) > _options.Clip)
                clipped++;
        }
        _klSum += kl / ratios.Length;
        _clippedSum += (double)clipped / ratios.Length;
    }
}
