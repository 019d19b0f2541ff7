using EcsNeural.Components.Agents;
using EcsNeural.Ecs;
using EcsNeural.Systems.Init;

namespace EcsNeural.Tests.Reinforcement;

/// <summary>
/// A two-armed bandit per agent: every tick the agent pulls arm 0 (pays 1 with probability 0.3) or arm 1 (probability 0.7);
/// the observation is a constant. Pay-outs are keyed by (agent, tick), so runs repeat. The optimum is 0.7 per pull.
/// </summary>
internal sealed class Bandit(World world) : ISystem<float>
{
    public static readonly double[] PayoutProbability = [0.3, 0.7];
    private static readonly QueryDescription Agents = new QueryDescription().WithAll<Observation, AgentAction, Reward>();
    private long _tick;

    public double RewardSum { get; private set; }
    public long Pulls { get; private set; }

    public void ResetTally() => (RewardSum, Pulls) = (0, 0);

    public void Update(in float deltaTime)
    {
        long tick = _tick++;
        foreach (Chunk chunk in world.Query(Agents))
        {
            Span<AgentAction> actions = chunk.GetSpan<AgentAction>();
            Span<Reward> rewards = chunk.GetSpan<Reward>();
            Span<Observation> observations = chunk.GetSpan<Observation>();
            for (int i = 0; i < actions.Length; i++)
            {
                observations[i].Values.Set([1f]);
                if (actions[i].Values.Length == 0)
                    continue;   // has not acted yet
                int arm = (int)actions[i].Values.AsReadOnlySpan()[0];
                bool pays = KeyedRandom.Uniform(99, (ulong)chunk.Entities[i].Id, (ulong)tick, 0) < PayoutProbability[arm];
                rewards[i].Value += pays ? 1 : 0;
                RewardSum += pays ? 1 : 0;
                Pulls++;
            }
        }
    }
}
