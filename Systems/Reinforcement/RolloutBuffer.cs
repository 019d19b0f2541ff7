namespace EcsNeural.Systems.Reinforcement;

/// <summary>
/// One rollout's steps in preallocated arrays, tick-major ([tick][slot]): what each agent observed (raw, before
/// normalisation), did, how likely that was, what its value estimate was, and — a tick later — its reward and whether the
/// episode ended. <see cref="Estimate"/> turns them into advantages and value targets; the learner then draws minibatches
/// of <see cref="Usable"/> samples. Nothing is allocated after construction unless the slot capacity grows.
/// </summary>
public sealed class RolloutBuffer
{
    private float[] _observations = [], _actions = [], _masks = [], _logProbabilities = [], _values = [], _rewards = [], _bootstraps = [];
    private float[] _advantages = [], _returns = [], _finalValues = [];
    private StepOutcome[] _outcomes = [];
    private bool[] _finalKnown = [];
    private int[] _usable = [];
    // One slot's column, gathered for the advantage pass.
    private readonly StepOutcome[] _columnOutcomes;
    private readonly float[] _columnRewards, _columnValues, _columnBootstraps, _columnAdvantages, _columnReturns;
    private readonly bool[] _columnUsable;

    /// <summary>A buffer of <paramref name="ticks"/> steps for <paramref name="slots"/> agents.</summary>
    public RolloutBuffer(int ticks, int slots, int observationWidth, int actionWidth, int maskWidth)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(ticks, 1);
        Ticks = ticks;
        ObservationWidth = observationWidth;
        ActionWidth = actionWidth;
        MaskWidth = maskWidth;
        NormalizerMean = new float[observationWidth];
        NormalizerVariance = new float[observationWidth];
        _columnOutcomes = new StepOutcome[ticks];
        _columnRewards = new float[ticks];
        _columnValues = new float[ticks];
        _columnBootstraps = new float[ticks];
        _columnAdvantages = new float[ticks];
        _columnReturns = new float[ticks];
        _columnUsable = new bool[ticks];
        Grow(slots);
    }

    /// <summary>Steps per slot.</summary>
    public int Ticks { get; }
    /// <summary>Agents' slots.</summary>
    public int Slots { get; private set; }
    /// <summary>Features per observation.</summary>
    public int ObservationWidth { get; }
    /// <summary>Values per recorded action (action dimensions, or 1 for a discrete action's index).</summary>
    public int ActionWidth { get; }
    /// <summary>Values per recorded action mask (0 without masks).</summary>
    public int MaskWidth { get; }
    /// <summary>Ticks started so far, 0…<see cref="Ticks"/>.</summary>
    public int Position { get; private set; }
    /// <summary>Whether every tick has been started.</summary>
    public bool IsFull => Position == Ticks;

    /// <summary>The normalisation mean the observations were normalised with while this rollout was collected.</summary>
    public float[] NormalizerMean { get; }
    /// <summary>The normalisation variance the observations were normalised with while this rollout was collected.</summary>
    public float[] NormalizerVariance { get; }

    /// <summary>Samples that have advantages after <see cref="Estimate"/> (flat indices tick·<see cref="Slots"/> + slot).</summary>
    public ReadOnlySpan<int> Usable => _usable.AsSpan(0, UsableCount);
    /// <summary>How many samples are usable.</summary>
    public int UsableCount { get; private set; }

    /// <summary>Starts an empty rollout collected under the given normalisation statistics.</summary>
    public void Begin(ReadOnlySpan<float> mean, ReadOnlySpan<float> variance)
    {
        Position = 0;
        UsableCount = 0;
        mean.CopyTo(NormalizerMean);
        variance.CopyTo(NormalizerVariance);
        Array.Clear(_outcomes);
        Array.Clear(_finalKnown);
    }

    /// <summary>Opens the next tick's row (every slot starts with no step); returns its tick index.</summary>
    public int NextTick()
    {
        if (IsFull)
            throw new InvalidOperationException($"The rollout buffer holds {Ticks} ticks and is full.");
        return Position++;
    }

    /// <summary>Makes room for <paramref name="slots"/> agents, keeping every recorded step.</summary>
    public void Grow(int slots)
    {
        if (slots <= Slots)
            return;
        int old = Slots;
        Regrow(ref _observations, old, slots, ObservationWidth);
        Regrow(ref _actions, old, slots, ActionWidth);
        Regrow(ref _masks, old, slots, MaskWidth);
        Regrow(ref _logProbabilities, old, slots, 1);
        Regrow(ref _values, old, slots, 1);
        Regrow(ref _rewards, old, slots, 1);
        Regrow(ref _bootstraps, old, slots, 1);
        Regrow(ref _advantages, old, slots, 1);
        Regrow(ref _returns, old, slots, 1);
        Regrow(ref _outcomes, old, slots, 1);
        Array.Resize(ref _finalValues, slots);
        Array.Resize(ref _finalKnown, slots);
        _usable = new int[Ticks * slots];
        Slots = slots;
    }

    /// <summary>Step (tick, slot)'s observation.</summary>
    public Span<float> Observation(int tick, int slot) => _observations.AsSpan(Index(tick, slot) * ObservationWidth, ObservationWidth);
    /// <summary>Step (tick, slot)'s action.</summary>
    public Span<float> Action(int tick, int slot) => _actions.AsSpan(Index(tick, slot) * ActionWidth, ActionWidth);
    /// <summary>Step (tick, slot)'s action mask (empty without masks).</summary>
    public Span<float> Mask(int tick, int slot) => _masks.AsSpan(Index(tick, slot) * MaskWidth, MaskWidth);

    /// <summary>Records that the agent in <paramref name="slot"/> acted at <paramref name="tick"/> (its inputs and action already written).</summary>
    public void Acted(int tick, int slot, float logProbability, float value)
    {
        int i = Index(tick, slot);
        _logProbabilities[i] = logProbability;
        _values[i] = value;
        _outcomes[i] = StepOutcome.Acted;
    }

    /// <summary>Records the reward of step (tick, slot) and how its episode went on.</summary>
    public void Rewarded(int tick, int slot, float reward, StepOutcome end)
    {
        int i = Index(tick, slot);
        _rewards[i] = reward;
        _outcomes[i] |= StepOutcome.Rewarded | end;
    }

    /// <summary>Records the value of the final observation of a truncated step's episode.</summary>
    public void Bootstrap(int tick, int slot, float value) => _bootstraps[Index(tick, slot)] = value;

    /// <summary>Records the value of the state <paramref name="slot"/>'s agent is in when the rollout ends (its last step's successor).</summary>
    public void Final(int slot, float value)
    {
        _finalValues[slot] = value;
        _finalKnown[slot] = true;
    }

    /// <summary>The outcome of step (tick, slot).</summary>
    public StepOutcome Outcome(int tick, int slot) => _outcomes[Index(tick, slot)];

    /// <summary>Flat sample <paramref name="sample"/>'s observation.</summary>
    public ReadOnlySpan<float> SampleObservation(int sample) => _observations.AsSpan(sample * ObservationWidth, ObservationWidth);
    /// <summary>Flat sample <paramref name="sample"/>'s action.</summary>
    public ReadOnlySpan<float> SampleAction(int sample) => _actions.AsSpan(sample * ActionWidth, ActionWidth);
    /// <summary>Flat sample <paramref name="sample"/>'s mask.</summary>
    public ReadOnlySpan<float> SampleMask(int sample) => _masks.AsSpan(sample * MaskWidth, MaskWidth);
    /// <summary>Flat sample <paramref name="sample"/>'s log-probability when it was taken.</summary>
    public float SampleLogProbability(int sample) => _logProbabilities[sample];
    /// <summary>Flat sample <paramref name="sample"/>'s (normalised, after <see cref="NormalizeAdvantages"/>) advantage.</summary>
    public float SampleAdvantage(int sample) => _advantages[sample];
    /// <summary>Flat sample <paramref name="sample"/>'s value target.</summary>
    public float SampleReturn(int sample) => _returns[sample];
    /// <summary>Flat sample <paramref name="sample"/>'s reward.</summary>
    public float SampleReward(int sample) => _rewards[sample];
    /// <summary>Flat sample <paramref name="sample"/>'s value estimate when it was taken.</summary>
    public float SampleValue(int sample) => _values[sample];
    /// <summary>Every observation, flat (sample s at s·<see cref="ObservationWidth"/>).</summary>
    public ReadOnlySpan<float> Observations => _observations.AsSpan(0, Ticks * Slots * ObservationWidth);

    /// <summary>Flat indices of every acted step, tick-major (the normaliser learns from these).</summary>
    public int ActedSamples(Span<int> destination)
    {
        int count = 0;
        for (int i = 0; i < Position * Slots; i++)
        {
            if ((_outcomes[i] & StepOutcome.Acted) != 0)
                destination[count++] = i;
        }
        return count;
    }

    /// <summary>Advantages and value targets of every slot (<see cref="GeneralizedAdvantage"/>), then the usable samples, tick-major.</summary>
    public void Estimate(float gamma, float lambda)
    {
        int ticks = Position;
        for (int slot = 0; slot < Slots; slot++)
        {
            for (int t = 0; t < ticks; t++)
            {
                int i = Index(t, slot);
                _columnOutcomes[t] = _outcomes[i];
                _columnRewards[t] = _rewards[i];
                _columnValues[t] = _values[i];
                _columnBootstraps[t] = _bootstraps[i];
            }
            GeneralizedAdvantage.Compute(_columnOutcomes.AsSpan(0, ticks), _columnRewards, _columnValues, _columnBootstraps,
                _finalKnown[slot] ? _finalValues[slot] : null, gamma, lambda, _columnAdvantages, _columnReturns, _columnUsable);
            for (int t = 0; t < ticks; t++)
            {
                int i = Index(t, slot);
                _advantages[i] = _columnAdvantages[t];
                _returns[i] = _columnReturns[t];
                if (!_columnUsable[t])
                    _outcomes[i] &= ~StepOutcome.Rewarded;   // not learned from
            }
        }
        UsableCount = 0;
        for (int i = 0; i < ticks * Slots; i++)
        {
            if ((_outcomes[i] & (StepOutcome.Acted | StepOutcome.Rewarded)) == (StepOutcome.Acted | StepOutcome.Rewarded))
                _usable[UsableCount++] = i;
        }
    }

    /// <summary>Scales the usable advantages to mean 0 and standard deviation 1 (summed in sample order, in double).</summary>
    public void NormalizeAdvantages()
    {
        if (UsableCount == 0)
            return;
        double sum = 0;
        foreach (int i in Usable)
            sum += _advantages[i];
        double mean = sum / UsableCount, squares = 0;
        foreach (int i in Usable)
        {
            double d = _advantages[i] - mean;
            squares += d * d;
        }
        double scale = 1 / (Math.Sqrt(squares / UsableCount) + 1e-8);
        foreach (int i in Usable)
            _advantages[i] = (float)((_advantages[i] - mean) * scale);
    }

    private int Index(int tick, int slot)
    {
        if ((uint)slot >= (uint)Slots)
            throw new ArgumentOutOfRangeException(nameof(slot), slot, $"The rollout holds slots 0…{Slots - 1}.");
        return tick * Slots + slot;
    }

    /// <summary>Re-strides a tick-major array from <paramref name="old"/> to <paramref name="slots"/> slots per tick.</summary>
    private void Regrow<TElement>(ref TElement[] data, int old, int slots, int width)
    {
        var grown = new TElement[Ticks * slots * width];
        for (int t = 0; t < Ticks && old > 0; t++)
            data.AsSpan(t * old * width, old * width).CopyTo(grown.AsSpan(t * slots * width));
        data = grown;
    }
}
