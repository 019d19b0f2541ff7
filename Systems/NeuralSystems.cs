using EcsNeural.Ecs;
using EcsNeural.Ecs.Jobs;
using EcsNeural.Systems.Graph;

namespace EcsNeural.Systems;

/// <summary>Ready-made system groups over a <see cref="NeuralRuntime"/>.</summary>
public static class NeuralSystems
{
    /// <summary>One training step per update: Compile → Forward → Backward → Optimizer → Complete.</summary>
    public static SystemGroup<float> Training(NeuralRuntime runtime, JobScheduler scheduler)
        => new SystemGroup<float>("Neural training")
            .Add(new CompileSystem(runtime))
            .Add(new ForwardSystem(runtime, scheduler))
            .Add(new BackwardSystem(runtime, scheduler))
            .Add(new OptimizerSystem(runtime, scheduler))
            .Add(new CompleteSystem(runtime));

    /// <summary>Inference only: Compile → Forward → Complete.</summary>
    public static SystemGroup<float> Inference(NeuralRuntime runtime, JobScheduler scheduler)
        => new SystemGroup<float>("Neural inference")
            .Add(new CompileSystem(runtime))
            .Add(new ForwardSystem(runtime, scheduler))
            .Add(new CompleteSystem(runtime));
}
