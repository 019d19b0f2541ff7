using EcsNeural.Components.Agents;
using EcsNeural.Demo.Arena;
using EcsNeural.Demo.Arena.Systems;
using EcsNeural.Ecs;

namespace EcsNeural.Demo.Training;

/// <summary>
/// At the end of a tick, what each agent's action earned: 1 per pellet eaten, or, on a tick it ate nothing,
/// <see cref="ShapingWeight"/> × the change of its <see cref="ForagingPotential"/> (a change no single move can make — a
/// pellet taken by another agent, one appearing — earns nothing). Added to the agent's <see cref="Reward"/> when it has one
/// (the policy reads it next tick); always summed for the reward curve, whoever drives.
/// </summary>
[UpdateAfter(typeof(RespawnSystem))]
public sealed class RewardSystem : ISystem<long>
{
    /// <summary>Weight of the potential's change against one pellet eaten.</summary>
    public const float ShapingWeight = 4f;

    /// <summary>A potential change larger than moving or turning can make in one tick is not the action's doing.</summary>
    private const float Discontinuity = 0.05f;

    private static readonly QueryDescription Rewarded = new QueryDescription().WithAll<Forager, Reward>();
    private readonly ArenaSimulation _arena;
    private readonly ForagingPotential _potential;
    private readonly float[] _before, _now, _rewards;
    private bool _measured;

    public RewardSystem(ArenaSimulation arena)
    {
        _arena = arena;
        _potential = new ForagingPotential(arena);
        int n = arena.Config.Agents;
        _before = new float[n];
        _now = new float[n];
        _rewards = new float[n];
    }

    /// <summary>The rewards of the last tick summed over agents (in slot order).</summary>
    public double LastTotal { get; private set; }

    public void Update(in long tick)
    {
        _potential.Measure(_now);
        ReadOnlySpan<int> ate = _arena.AteBySlot;
        double total = 0;
        for (int slot = 0; slot < _rewards.Length; slot++)
        {
            float change = _now[slot] - _before[slot];
            float shaped = _measured && MathF.Abs(change) <= Discontinuity ? ShapingWeight * change : 0;
            _rewards[slot] = ate[slot] > 0 ? ate[slot] : shaped;
            total += _rewards[slot];
        }
        _now.CopyTo(_before, 0);
        _measured = true;
        LastTotal = total;
        var give = new Give(_rewards);
        _arena.World.InlineQuery<Give, Forager, Reward>(Rewarded, ref give);
    }

    private readonly struct Give(float[] rewards) : IForEach<Forager, Reward>
    {
        public void Update(Entity entity, ref Forager forager, ref Reward reward) => reward.Value += rewards[forager.Slot];
    }
}
