using EcsNeural.Components.Agents;
using EcsNeural.Ecs;
using EcsNeural.Systems.Init;

namespace EcsNeural.Tests.Reinforcement;

/// <summary>
/// A 1-D task with episodes: the agent sits at x and its goal at g, both in [−1, 1] (drawn per episode, keyed); it sees
/// g − x and moves by 0.1 × its action clamped to [−1, 1]. Each step costs 0.01; reaching |g − x| &lt; 0.05 pays 1 and ends
/// the episode (terminal); after <see cref="StepLimit"/> steps it is cut (a time limit). An optimal agent walks straight
/// to the goal: return 1 − 0.01·(⌈|g − x₀|/0.1⌉ − 1) ≈ 0.9 on average.
/// </summary>
internal sealed class MoveToGoal(World world) : ISystem<float>
{
    public const int StepLimit = 40;
    private const float Speed = 0.1f, Reach = 0.05f, StepCost = 0.01f;
    private static readonly QueryDescription Agents = new QueryDescription().WithAll<GoalState, Observation, AgentAction, Reward>();
    private readonly List<(Entity Agent, bool Truncated)> _ending = [];

    public int Reached { get; private set; }
    public int Cut { get; private set; }
    public double ReturnSum { get; private set; }
    /// <summary>What an optimal agent would have got on the same episodes: it reaches the goal in as few steps as possible.</summary>
    public double OptimalReturnSum { get; private set; }
    public int Episodes => Reached + Cut;

    public void ResetTally() => (Reached, Cut, ReturnSum, OptimalReturnSum) = (0, 0, 0, 0);

    /// <summary>A new agent at the start of its first episode.</summary>
    public Entity Spawn()
    {
        Entity agent = world.Create(new GoalState(), new Observation([0f]), new AgentAction(), new Reward());
        ref GoalState state = ref world.Get<GoalState>(agent);
        state.Episode = -1;
        state.NeedsReset = true;
        return agent;
    }

    public void Update(in float deltaTime)
    {
        foreach (Chunk chunk in world.Query(Agents))
        {
            Span<GoalState> states = chunk.GetSpan<GoalState>();
            Span<Observation> observations = chunk.GetSpan<Observation>();
            Span<AgentAction> actions = chunk.GetSpan<AgentAction>();
            Span<Reward> rewards = chunk.GetSpan<Reward>();
            for (int i = 0; i < states.Length; i++)
            {
                ref GoalState s = ref states[i];
                if (s.NeedsReset)
                {
                    ulong key = (ulong)chunk.Entities[i].Id;
                    s.Episode++;
                    s.Position = (float)(2 * KeyedRandom.Uniform(5, key, (ulong)s.Episode, 0) - 1);
                    s.Goal = (float)(2 * KeyedRandom.Uniform(5, key, (ulong)s.Episode, 1) - 1);
                    s.Steps = 0;
                    s.Return = 0;
                    // Fewest steps of at most 0.1 that end within 0.05 of the goal (at least one: the reward comes with a step).
                    int fewest = Math.Max(1, (int)MathF.Ceiling((MathF.Abs(s.Goal - s.Position) - Reach) / Speed + 1e-6f));
                    s.OptimalReturn = fewest <= StepLimit ? 1 - StepCost * fewest : -StepCost * StepLimit;
                    s.NeedsReset = false;
                }
                else if (actions[i].Values.Length > 0)
                {
                    float a = Math.Clamp(actions[i].Values.AsReadOnlySpan()[0], -1f, 1f);
                    s.Position += Speed * a;
                    s.Steps++;
                    float reward = -StepCost;
                    bool reached = MathF.Abs(s.Goal - s.Position) < Reach;
                    if (reached)
                        reward += 1;
                    rewards[i].Value += reward;
                    s.Return += reward;
                    if (reached || s.Steps >= StepLimit)
                    {
                        _ending.Add((chunk.Entities[i], !reached));
                        s.NeedsReset = true;   // next tick, after the module has seen the final observation
                        if (reached) Reached++; else Cut++;
                        ReturnSum += s.Return;
                        OptimalReturnSum += s.OptimalReturn;
                    }
                }
                observations[i].Values.Set([s.Goal - s.Position]);
            }
        }
        foreach ((Entity agent, bool truncated) in _ending)
            world.Add(agent, truncated ? EndEpisode.TimeLimit : EndEpisode.Terminal);
        _ending.Clear();
    }
}

/// <summary>One agent's episode of <see cref="MoveToGoal"/>.</summary>
internal struct GoalState
{
    public float Position, Goal, Return, OptimalReturn;
    public int Steps, Episode;
    public bool NeedsReset;
}
