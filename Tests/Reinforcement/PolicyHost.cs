using EcsNeural.Ecs;
using EcsNeural.Ecs.Jobs;
using EcsNeural.Plugin;
using EcsNeural.Plugin.Building;
using EcsNeural.Systems.Kernels;
using EcsNeural.Systems.Reinforcement;

namespace EcsNeural.Tests.Reinforcement;

/// <summary>A game world with its own system group (the environment first), the module installed, and one policy.</summary>
internal sealed class PolicyHost<TEnvironment> : IDisposable where TEnvironment : ISystem<float>
{
    public PolicyHost(Func<World, TEnvironment> environment, Mlp hidden, ActionSpace actions, PpoOptions options, int workers = 1, PluginMode mode = PluginMode.Training,
        NumericsMode numerics = NumericsMode.Fast)
    {
        World = new World();
        Jobs = new JobScheduler(workers);
        Game = new SystemGroup<float>("Game");
        Environment = environment(World);
        Game.Add(Environment);
        Module = NeuralPlugin.Install(World, Jobs, Game, new NeuralPluginOptions { Mode = mode, Numerics = numerics });
        Policy = Module.CreatePolicy(hidden, actions, options);
    }

    public World World { get; }
    public TEnvironment Environment { get; }
    public JobScheduler Jobs { get; }
    public SystemGroup<float> Game { get; }
    public NeuralModule Module { get; }
    public PpoPolicy Policy { get; }

    public void Tick() => Game.Update(1f / 60);

    public void Dispose()
    {
        Module.Dispose();
        Jobs.Dispose();
        World.Dispose();
    }
}
