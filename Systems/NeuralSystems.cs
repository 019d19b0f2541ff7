using EcsNeural.Ecs;
using EcsNeural.Ecs.Jobs;
using EcsNeural.Systems.Graph;
using EcsNeural.Systems.Population;
using EcsNeural.Systems.Reinforcement;

namespace EcsNeural.Systems;

/// <summary>
/// Ready-made system groups over a <see cref="NeuralRuntime"/>, for a host group of any per-frame state type
/// <c>TState</c> (the systems ignore it). <see cref="Pipeline{TState}"/> is the one place the order is assembled.
/// </summary>
public static class NeuralSystems
{
    /// <summary>One training step per update: Compile → Forward → Backward → Optimizer → Complete.</summary>
    public static SystemGroup<TState> Training<TState>(NeuralRuntime runtime, JobScheduler scheduler)
        => Pipeline<TState>("Neural training", runtime, scheduler, training: true);

    /// <summary>Inference only: Compile → Forward → Complete.</summary>
    public static SystemGroup<TState> Inference<TState>(NeuralRuntime runtime, JobScheduler scheduler)
        => Pipeline<TState>("Neural inference", runtime, scheduler, training: false);

    /// <summary>
    /// The neural pipeline in its order: Compile → [Gather → PolicyObserve] → Forward → [Backward → Optimizer] → Complete →
    /// [Scatter → PolicyAct]. Backward and Optimizer are there when <paramref name="training"/>; Gather and Scatter (agents'
    /// components in and out of the populations' tensors) when <paramref name="populations"/> is given; PolicyObserve and
    /// PolicyAct (policy agents' rewards and observations in, sampled actions out, rollouts and PPO updates) when
    /// <paramref name="policies"/> is.
    /// </summary>
    public static SystemGroup<TState> Pipeline<TState>(string name, NeuralRuntime runtime, JobScheduler scheduler, bool training,
        PopulationRegistry? populations = null, PolicyRegistry? policies = null)
    {
        ArgumentNullException.ThrowIfNull(runtime);
        ArgumentNullException.ThrowIfNull(scheduler);
        var group = new SystemGroup<TState>(name).Add(new CompileSystem<TState>(runtime));
        if (populations is not null)
            group.Add(new GatherSystem<TState>(populations));
        if (policies is not null)
            group.Add(new PolicyObserveSystem<TState>(policies));
        group.Add(new ForwardSystem<TState>(runtime, scheduler));
        if (training)
            group.Add(new BackwardSystem<TState>(runtime, scheduler)).Add(new OptimizerSystem<TState>(runtime, scheduler));
        group.Add(new CompleteSystem<TState>(runtime));
        if (populations is not null)
            group.Add(new ScatterSystem<TState>(populations));
        if (policies is not null)
            group.Add(new PolicyActSystem<TState>(policies));
        return group;
    }
}
