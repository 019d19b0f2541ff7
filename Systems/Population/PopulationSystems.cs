using EcsNeural.Ecs;
using EcsNeural.Ecs.Jobs;
using EcsNeural.Systems.Graph;

namespace EcsNeural.Systems.Population;

/// <summary>Ready-made system groups for agent populations: the engine's groups with gather and scatter around them.</summary>
public static class PopulationSystems
{
    /// <summary>One training tick: Compile → Gather → Forward → Backward → Optimizer → Complete → Scatter.</summary>
    public static SystemGroup<float> Training(PopulationRegistry populations, JobScheduler scheduler)
        => new SystemGroup<float>("Population training")
            .Add(new CompileSystem(populations.Runtime))
            .Add(new GatherSystem(populations))
            .Add(new ForwardSystem(populations.Runtime, scheduler))
            .Add(new BackwardSystem(populations.Runtime, scheduler))
            .Add(new OptimizerSystem(populations.Runtime, scheduler))
            .Add(new CompleteSystem(populations.Runtime))
            .Add(new ScatterSystem(populations));

    /// <summary>Inference only: Compile → Gather → Forward → Complete → Scatter.</summary>
    public static SystemGroup<float> Inference(PopulationRegistry populations, JobScheduler scheduler)
        => new SystemGroup<float>("Population inference")
            .Add(new CompileSystem(populations.Runtime))
            .Add(new GatherSystem(populations))
            .Add(new ForwardSystem(populations.Runtime, scheduler))
            .Add(new CompleteSystem(populations.Runtime))
            .Add(new ScatterSystem(populations));
}
