using EcsNeural.Components.Agents;
using EcsNeural.Ecs.Buffers;

namespace EcsNeural.Plugin.Agents;

/// <summary>
/// Makes an agent decide every <see cref="Ticks"/> ticks instead of every tick: its <see cref="AgentAction"/> changes
/// only on ticks t with t mod <see cref="Ticks"/> = <see cref="Phase"/> (and on its first tick, so it never acts on
/// nothing), and holds the last decision in between. The phase is fixed per agent, so staggering agents over phases
/// is deterministic. Applied by <see cref="DecisionPeriodSystem{TState}"/>.
/// </summary>
public struct DecisionPeriod : IBufferOwner
{
    /// <summary>An agent deciding every <paramref name="ticks"/> ticks (≥ 1) at phase <paramref name="phase"/> (0 ≤ phase &lt; ticks).</summary>
    public DecisionPeriod(int ticks, int phase = 0)
    {
        if (ticks < 1)
            throw new ArgumentOutOfRangeException(nameof(ticks), ticks, $"An agent decides every k ≥ 1 ticks, got k = {ticks}.");
        if (phase < 0 || phase >= ticks)
            throw new ArgumentOutOfRangeException(nameof(phase), phase, $"The phase must lie in [0, {ticks}), got {phase}.");
        Ticks = ticks;
        Phase = phase;
        Decision = default;
    }

    /// <summary>k: the agent decides every k ticks.</summary>
    public int Ticks { get; }

    /// <summary>The tick within each period on which the agent decides.</summary>
    public int Phase { get; }

    /// <summary>The decision in effect (the action of the agent's last decision tick); empty before the first one.</summary>
    public ValueBuffer<float> Decision;

    /// <summary>Whether the agent decides on <paramref name="tick"/>.</summary>
    public readonly bool DecidesOn(long tick) => Ticks <= 1 || Decision.Length == 0 || tick % Ticks == Phase;

    void IBufferOwner.VisitBuffers<TVisitor>(ref TVisitor visitor) => visitor.Visit(ref Decision);
}
