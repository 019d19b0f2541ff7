using EcsNeural.Ecs;
using EcsNeural.Ecs.Jobs;

namespace EcsNeural.Plugin;

/// <summary>
/// Entry point for a host game: installs the neural module into the host's world and system group, like dropping a
/// package into a project. The host keeps calling its own group's update every frame.
/// </summary>
public static class NeuralPlugin
{
    /// <summary>
    /// Adds the module's systems, as one nested group named <see cref="NeuralPluginOptions.GroupName"/>, to
    /// <paramref name="hostGroup"/>, after the systems already in it (so host systems added earlier — the ones writing
    /// observations and targets — run first). The nested group's order is documented on <see cref="NeuralModule.Group"/>.
    /// Each world gets its own runtime; several worlds can each host the module. Dispose the returned handle to uninstall.
    /// </summary>
    /// <typeparam name="TState">The host group's per-frame state type (a delta time, a tick count, a struct of the host's own), inferred from <paramref name="hostGroup"/>; the module's systems ignore it.</typeparam>
    public static NeuralModule Install<TState>(World world, JobScheduler scheduler, SystemGroup<TState> hostGroup, NeuralPluginOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(world);
        ArgumentNullException.ThrowIfNull(scheduler);
        ArgumentNullException.ThrowIfNull(hostGroup);
        return NeuralModule.Install(world, scheduler, hostGroup, options ?? new NeuralPluginOptions());
    }
}
