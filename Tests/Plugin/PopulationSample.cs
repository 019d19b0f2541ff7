using EcsNeural.Components.Agents;
using EcsNeural.Ecs;
using EcsNeural.Ecs.Jobs;
using EcsNeural.Plugin;
using EcsNeural.Plugin.Agents;
using EcsNeural.Plugin.Building;
using EcsNeural.Plugin.Checkpoints;
using EcsNeural.Plugin.Onnx;
using EcsNeural.Systems.Optimizers;

namespace MyGame;

/// <summary>A game that gives 100 agents their own small network and trains them inside its own update loop.</summary>
public static class PopulationSample
{
    /// <summary>Runs 300 ticks, saves a checkpoint and an ONNX model into <paramref name="folder"/>; returns the agents' mean loss.</summary>
    public static float Run(string folder)
    {
        // The game's own world, scheduler and system group; its sensing system writes observations and targets.
        using var world = new World();
        using var jobs = new JobScheduler(Environment.ProcessorCount);
        var game = new SystemGroup<float>("Game");
        game.Add(new SenseSystem(world));

        // Install the module: its systems join the game's group after the ones already there.
        using NeuralModule neural = NeuralPlugin.Install(world, jobs, game);
        AgentNetwork brains = neural.CreatePopulation(
            Mlp.Input(2).Dense(16, Activation.Tanh).Dense(1),
            new NetworkOptions { Instances = 0, Loss = OutputLoss.MeanSquaredError, Optimizer = OptimizerOptions.Adam(0.02), Seed = 1 });

        // Each agent gets its own network (one instance of the population) and decides every second tick.
        for (int i = 0; i < 100; i++)
        {
            Entity agent = world.Create(new Observation([0f, 0f]), new Target([0f]), new AgentAction(), new DecisionPeriod(2, i % 2));
            brains.Population.Bind(agent);
        }

        // The game keeps calling its own update: sense → gather → forward → backward → Adam → scatter → decisions.
        for (int tick = 0; tick < 300; tick++)
            game.Update(1f / 60);

        Checkpoint.Save(brains.Network.Graph, Path.Combine(folder, "brains.ckpt"));
        OnnxExporter.Export(brains.Network, Path.Combine(folder, "agent0.onnx"), instance: 0);
        Span<float> losses = brains.Network.Graph.AllValues(brains.Network.Loss);
        float sum = 0;
        foreach (float loss in losses)
            sum += loss;
        return sum / losses.Length;
    }

    /// <summary>The game's sensing: each agent observes (a, b) and should steer by (a − b)/2.</summary>
    private sealed class SenseSystem(World world) : ISystem<float>
    {
        private readonly QueryDescription _agents = new QueryDescription().WithAll<Observation, Target>();
        private int _tick;

        public void Update(in float deltaTime)
        {
            int tick = _tick++;
            world.Query(_agents, (Entity agent, ref Observation observation, ref Target target) =>
            {
                float a = MathF.Sin(1.7f * tick + agent.Id), b = MathF.Cos(2.3f * tick + 2 * agent.Id);
                observation.Values.Set([a, b]);
                target.Values.Set([(a - b) / 2]);
            });
        }
    }
}
