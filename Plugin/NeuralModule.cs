using EcsNeural.Ecs;
using EcsNeural.Ecs.Jobs;
using EcsNeural.Plugin.Building;
using EcsNeural.Systems;
using EcsNeural.Systems.Graph;

namespace EcsNeural.Plugin;

/// <summary>
/// The neural module installed in one host world (made by <see cref="NeuralPlugin.Install"/>). Owns a
/// <see cref="NeuralRuntime"/> for the world and the systems it added to the host's group; <see cref="Dispose"/>
/// uninstalls it, releasing every graph entity, tensor arena and pending job it made.
/// </summary>
public sealed class NeuralModule : IDisposable
{
    private readonly SystemGroup<float> _hostGroup;
    private bool _disposed;

    internal NeuralModule(World world, JobScheduler scheduler, SystemGroup<float> hostGroup, NeuralPluginOptions options)
    {
        World = world;
        Scheduler = scheduler;
        Options = options;
        _hostGroup = hostGroup;
        Runtime = new NeuralRuntime(world);
        Group = new SystemGroup<float>(options.GroupName).Add(new CompileSystem(Runtime)).Add(new ForwardSystem(Runtime, scheduler));
        if (options.Mode == PluginMode.Training)
            Group.Add(new BackwardSystem(Runtime, scheduler)).Add(new OptimizerSystem(Runtime, scheduler));
        Group.Add(new CompleteSystem(Runtime));
        Group.Initialize();
        hostGroup.Add(Group);
    }

    /// <summary>The host world.</summary>
    public World World { get; }

    /// <summary>The scheduler the module's jobs run on.</summary>
    public JobScheduler Scheduler { get; }

    /// <summary>The options it was installed with.</summary>
    public NeuralPluginOptions Options { get; }

    /// <summary>The world's graphs. Create graphs here for the general <see cref="GraphBuilder"/>.</summary>
    public NeuralRuntime Runtime { get; }

    /// <summary>
    /// The module's systems, nested in the host's group, in this order: Compile (waits for last tick's jobs, recompiles
    /// changed graphs) → Forward → Backward → Optimizer (training only) → Complete (waits, so outputs are readable after
    /// the host's update).
    /// </summary>
    public SystemGroup<float> Group { get; }

    /// <summary>Whether the module was installed for training or inference only.</summary>
    public PluginMode Mode => Options.Mode;

    /// <summary>
    /// Instantiates <paramref name="architecture"/> as a new graph of <see cref="NetworkOptions.Instances"/> instances.
    /// In <see cref="PluginMode.Inference"/> the graph keeps no gradient or optimizer storage.
    /// </summary>
    public MlpNetwork<float> CreateNetwork(Mlp architecture, NetworkOptions? options = null)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ArgumentNullException.ThrowIfNull(architecture);
        options ??= new NetworkOptions();
        ComputeGraph<float> graph = Runtime.CreateGraph<float>(options.Instances, options.Seed);
        try
        {
            graph.InferenceOnly = Mode == PluginMode.Inference;
            if (options.Optimizer is not null)
                graph.Optimizer = options.Optimizer;
            return architecture.Build(graph, options.Batch, options.Loss);
        }
        catch
        {
            Runtime.DestroyGraph(graph);
            throw;
        }
    }

    /// <summary>Uninstalls: waits for pending jobs, removes the module's group from the host's, destroys every graph's entities.</summary>
    public void Dispose()
    {
        if (_disposed)
            return;
        _disposed = true;
        try
        {
            Runtime.CompleteAll();
        }
        finally
        {
            _hostGroup.Remove(Group);
            Group.Dispose();
            while (Runtime.Graphs.Count > 0)
                Runtime.DestroyGraph(Runtime.Graphs[^1]);
        }
    }
}
