using EcsNeural.Components.Agents;
using EcsNeural.Ecs;
using EcsNeural.Ecs.Jobs;
using EcsNeural.Plugin;
using EcsNeural.Plugin.Building;
using EcsNeural.Plugin.Checkpoints;
using EcsNeural.Systems.Reinforcement;

namespace MyGame;

/// <summary>A game whose 64 agents learn, from reward alone and inside its own update loop, to walk to their goals.</summary>
public static class EmbedSample
{
    /// <summary>Runs 2,000 ticks, saves the policy into <paramref name="folder"/>; returns the mean return of the last 500 ticks' episodes.</summary>
    public static double Run(string folder)
    {
        // The game's own world, scheduler and system group; its walking system moves agents, hands out rewards, ends episodes.
        using var world = new World();
        using var jobs = new JobScheduler(Environment.ProcessorCount);
        var game = new SystemGroup<long>("Game");
        var walking = new WalkSystem(world);
        game.Add(walking);

        // Install the module into the game's group and create one policy all agents share: it learns with PPO.
        using NeuralModule neural = NeuralPlugin.Install(world, jobs, game);
        PpoPolicy policy = neural.CreatePolicy(Mlp.Input(1).Dense(16, Activation.Tanh), ActionSpace.Continuous(1),
            new PpoOptions { Capacity = 64, RolloutTicks = 32, Seed = 1 });
        for (int i = 0; i < 64; i++)
            policy.Bind(world.Create(new Walker(), new Observation([0f]), new AgentAction(), new Reward()));

        // The game keeps calling its own update: walk → observe rewards → act → (every 32 ticks) learn.
        for (long tick = 0; tick < 2000; tick++)
        {
            if (tick == 1500)
                walking.ClearReturns();   // from here on, measure the trained agents
            game.Update(tick);
        }

        Checkpoint.Save(policy, Path.Combine(folder, "policy.ckpt"));
        return walking.MeanReturn;
    }

    /// <summary>An agent walking on a line towards its goal.</summary>
    private struct Walker
    {
        public float Position, Goal, Return;
        public int Steps, Episode;
        public bool Ended;
    }

    /// <summary>
    /// Each tick: applies every agent's action (a step of up to 0.1), pays −0.01 a step and +1 at the goal, ends the episode
    /// there (terminal) or after 40 steps (a time limit), starts a new one the tick after, and writes what the agent sees.
    /// </summary>
    private sealed class WalkSystem(World world) : ISystem<long>
    {
        private readonly QueryDescription _walkers = new QueryDescription().WithAll<Walker, Observation, AgentAction, Reward>();
        private readonly List<(Entity Agent, EndEpisode End)> _ends = [];
        private double _returns;
        private int _episodes;

        public double MeanReturn => _returns / Math.Max(1, _episodes);

        public void ClearReturns() => (_returns, _episodes) = (0, 0);

        public void Update(in long tick)
        {
            bool first = tick == 0;
            world.Query(_walkers, (Entity agent, ref Walker w, ref Observation observation, ref AgentAction action, ref Reward reward) =>
            {
                if (w.Ended || first)
                {
                    var random = new Random(agent.Id * 1000 + w.Episode++);
                    (w.Position, w.Goal, w.Return, w.Steps, w.Ended) = (random.NextSingle() * 2 - 1, random.NextSingle() * 2 - 1, 0, 0, false);
                }
                else
                {
                    w.Position += 0.1f * Math.Clamp(action.Values.AsReadOnlySpan()[0], -1f, 1f);
                    bool reached = MathF.Abs(w.Goal - w.Position) < 0.05f;
                    float earned = reached ? 0.99f : -0.01f;
                    reward.Value += earned;
                    w.Return += earned;
                    if (reached || ++w.Steps == 40)
                    {
                        _ends.Add((agent, reached ? EndEpisode.Terminal : EndEpisode.TimeLimit));
                        (w.Ended, _returns, _episodes) = (true, _returns + w.Return, _episodes + 1);
                    }
                }
                observation.Values.Set([w.Goal - w.Position]);
            });
            foreach ((Entity agent, EndEpisode end) in _ends)
                world.Add(agent, end);   // the policy reads it next, with the episode's last reward
            _ends.Clear();
        }
    }
}
