using EcsNeural.Demo.Arena;
using EcsNeural.Demo.Brains;
using EcsNeural.Systems.Init;

namespace EcsNeural.Demo.Training;

/// <summary>
/// Learning from reward: REINFORCE for a Gaussian policy, one step per tick on the action each agent took last tick.
/// The network's output, clamped to the actuators' range [−1, 1], is the policy's mean μ; the agent executes
/// μ + σε with ε ~ N(0, 1) keyed by (seed, agent, tick). The reward for that action is the food it ate, or, on a tick
/// it ate nothing, the shaped reward <see cref="ShapingWeight"/> × the change of its <see cref="ForagingPotential"/>.
/// The advantage is the reward minus a per-agent running mean, divided by the advantages' root mean square across the
/// population each tick (so the step does not shrink as the rewards do, and one agent alone still learns); the
/// policy gradient ∇μ log π · A = A·ε/σ is handed to the population as an MSE target μ + A·ε (Adam removes the
/// scale), so reward learning needs no other entry into the engine than imitation does. The target starts from the
/// clamped mean, so an output beyond the actuators' range — where noise would change nothing — is also pulled back
/// into it (the untrained output layer starts at −2, saturated).
/// </summary>
public sealed class ReinforceLearner
{
    /// <summary>σ of the exploration noise, in actuator units (turn and thrust span [−1, 1]).</summary>
    public const float ExplorationNoise = 1f;

    /// <summary>Adam's step size while learning from reward: one noisy sample per network per tick needs larger steps than imitation.</summary>
    public const double LearningRate = 3e-3;

    /// <summary>Weight of the potential's change against one pellet eaten.</summary>
    public const float ShapingWeight = 4f;

    /// <summary>How fast each agent's baseline follows its rewards (an exponential mean over ~100 ticks).</summary>
    private const float BaselineRate = 0.01f;

    /// <summary>
    /// A potential change larger than moving or turning can make in one tick (a pellet eaten by another agent, one
    /// appearing or leaving the view) is not the action's doing: it earns no shaped reward.
    /// </summary>
    private const float Discontinuity = 0.05f;

    private const int NoiseStream = 7;

    private readonly ArenaConfig _config;
    private readonly ForagingPotential _potential;
    private readonly float[] _before, _now, _noise, _baseline, _advantages, _targets;
    private bool _pending;

    public ReinforceLearner(ArenaSimulation arena)
    {
        _config = arena.Config;
        _potential = new ForagingPotential(arena);
        int n = _config.Agents;
        _before = new float[n];
        _now = new float[n];
        _baseline = new float[n];
        _advantages = new float[n];
        _noise = new float[n * ArenaConfig.ActionSize];
        _targets = new float[n * ArenaConfig.ActionSize];
    }

    /// <summary>Forgets the pending action (after the signal changed), so the next tick starts learning afresh.</summary>
    public void Reset() => _pending = false;

    /// <summary>
    /// Rewards last tick's actions and takes one REINFORCE step. Call before the population acts on this tick's
    /// observations: <paramref name="means"/> must be the population's outputs from the last Act, whose inputs
    /// Learn reuses; <paramref name="ate"/> is what each agent ate last tick.
    /// </summary>
    public void Learn(IBrainPopulation brains, ReadOnlySpan<float> means, ReadOnlySpan<int> ate)
    {
        _potential.Measure(_now);
        if (_pending)
        {
            Advantages(ate);
            for (int j = 0; j < _targets.Length; j++)
                _targets[j] = Math.Clamp(means[j], -1f, 1f) + _advantages[j / ArenaConfig.ActionSize] * _noise[j];
            brains.Learn(_targets);
        }
        _now.CopyTo(_before, 0);
    }

    /// <summary>Sets the actions the agents execute this tick: the clamped <paramref name="means"/> plus keyed Gaussian noise.</summary>
    public void Explore(long tick, ReadOnlySpan<float> means, Span<float> executed)
    {
        for (int j = 0; j < _noise.Length; j++)
        {
            _noise[j] = (float)KeyedRandom.Normal(_config.Seed, (ulong)(j / ArenaConfig.ActionSize), (ulong)tick, (ulong)(NoiseStream + j % ArenaConfig.ActionSize));
            executed[j] = Math.Clamp(means[j], -1f, 1f) + ExplorationNoise * _noise[j];
        }
        _pending = true;
    }

    /// <summary>Rewards minus each agent's baseline, over their root mean square across the population (summed in slot order: deterministic).</summary>
    private void Advantages(ReadOnlySpan<int> ate)
    {
        int n = _advantages.Length;
        double sumOfSquares = 0;
        for (int i = 0; i < n; i++)
        {
            float change = _now[i] - _before[i];
            float reward = ate[i] > 0 ? ate[i] : MathF.Abs(change) > Discontinuity ? 0 : ShapingWeight * change;
            float advantage = reward - _baseline[i];
            _baseline[i] += BaselineRate * advantage;
            _advantages[i] = advantage;
            sumOfSquares += advantage * advantage;
        }
        double rms = Math.Sqrt(sumOfSquares / n);
        float scale = rms > 0 ? (float)(1 / rms) : 0;
        for (int i = 0; i < n; i++) _advantages[i] *= scale;
    }
}
