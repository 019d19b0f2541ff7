using System.Numerics;
using EcsNeural.Ecs;
using EcsNeural.Ecs.Jobs;
using EcsNeural.Systems;
using EcsNeural.Systems.Graph;

namespace EcsNeural.Tests.Backprop;

/// <summary>A world, a scheduler, a neural runtime, one graph and its builder, and the training group that steps it.</summary>
internal sealed class EngineFixture<T> : IDisposable where T : unmanaged, IFloatingPointIeee754<T>
{
    public EngineFixture(int instances = 1, ulong seed = 1, int workers = 1)
    {
        World = new World();
        Scheduler = new JobScheduler(workers);
        Runtime = new NeuralRuntime(World);
        Graph = Runtime.CreateGraph<T>(instances, seed);
        Builder = new GraphBuilder(Graph);
        Training = NeuralSystems.Training<float>(Runtime, Scheduler);
    }

    public World World { get; }
    public JobScheduler Scheduler { get; }
    public NeuralRuntime Runtime { get; }
    public ComputeGraph<T> Graph { get; }
    public GraphBuilder Builder { get; }
    public SystemGroup<float> Training { get; }

    /// <summary>One tick: compile, forward, backward, optimizer, complete.</summary>
    public void Step() => Training.Update(0f);

    /// <summary>Forward pass only (the backward and optimizer systems skip graphs with training disabled).</summary>
    public void Forward()
    {
        bool training = Graph.TrainingEnabled;
        Graph.TrainingEnabled = false;
        try
        {
            Training.Update(0f);
        }
        finally
        {
            Graph.TrainingEnabled = training;
        }
    }

    public void Set(Entity node, params T[] values) => Graph.SetValues(node, 0, values);
    public void SetInstance(Entity node, int instance, params T[] values) => Graph.SetValues(node, instance, values);
    public T[] Value(Entity node, int instance = 0) => Graph.Values(node, instance).ToArray();
    public T[] Gradient(Entity node, int instance = 0) => Graph.Gradients(node, instance).ToArray();

    public void Dispose()
    {
        Training.Dispose();
        Scheduler.Dispose();
        World.Dispose();
    }
}
