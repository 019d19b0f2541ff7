using EcsNeural.Ecs;
using EcsNeural.Ecs.Jobs;
using EcsNeural.Plugin;

namespace EcsNeural.Tests.Plugin;

/// <summary>A stand-in game: its own world, scheduler and system group, with the neural module installed into them.</summary>
internal sealed class PluginHost : IDisposable
{
    public PluginHost(NeuralPluginOptions? options = null, int workers = 1)
    {
        World = new World();
        Scheduler = new JobScheduler(workers);
        Game = new SystemGroup<float>("Game");
        Module = NeuralPlugin.Install(World, Scheduler, Game, options);
    }

    public World World { get; }
    public JobScheduler Scheduler { get; }
    public SystemGroup<float> Game { get; }
    public NeuralModule Module { get; }

    /// <summary>One frame of the host: its own group's update, which includes the module's systems.</summary>
    public void Tick() => Game.Update(1f / 60);

    public void Dispose()
    {
        Module.Dispose();
        Game.Dispose();
        Scheduler.Dispose();
        World.Dispose();
    }
}
