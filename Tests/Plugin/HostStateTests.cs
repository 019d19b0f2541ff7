using EcsNeural.Components.Agents;
using EcsNeural.Ecs;
using EcsNeural.Ecs.Jobs;
using EcsNeural.Plugin;
using EcsNeural.Plugin.Agents;
using EcsNeural.Plugin.Building;
using EcsNeural.Systems;
using EcsNeural.Systems.Optimizers;
using EcsNeural.Systems.Population;
using EcsNeural.Systems.Reinforcement;

namespace EcsNeural.Tests.Plugin;

/// <summary>
/// The module installs into a host group of any per-frame state type: a tick count (as the demo's arena uses), the usual
/// delta time, or a struct of the host's own. The state type changes nothing the networks compute.
/// </summary>
public class HostStateTests
{
    private static readonly Mlp Controller = Mlp.Input(2).Dense(8, Activation.Tanh).Dense(1);

    /// <summary>A host's own per-frame state.</summary>
    private readonly record struct Frame(long Number, float DeltaTime);

    /// <summary>A host system that writes each agent's observation and target from the frame it is given.</summary>
    private sealed class Sense<TState>(World world, Func<TState, long> frameOf) : ISystem<TState>
    {
        private readonly QueryDescription _agents = new QueryDescription().WithAll<Observation, Target>();

        public void Update(in TState state)
        {
            long frame = frameOf(state);
            world.Query(_agents, (Entity agent, ref Observation observation, ref Target target) =>
            {
                float a = MathF.Sin(0.7f * frame + agent.Id), b = MathF.Cos(1.3f * frame + 2 * agent.Id);
                observation.Values.Set([a, b]);
                target.Values.Set([(a - b) / 2]);
            });
        }
    }

    /// <summary>Trains 6 agents for 200 frames in a host group of state <typeparamref name="TState"/>.</summary>
    private static (float[] Parameters, float FirstLoss, float LastLoss, Type[] Systems, string[] Timed) Train<TState>(
        Func<long, TState> state, Func<TState, long> frameOf)
    {
        using var world = new World();
        using var jobs = new JobScheduler(2);
        var game = new SystemGroup<TState>("Game").Add(new Sense<TState>(world, frameOf));
        using NeuralModule module = NeuralPlugin.Install(world, jobs, game);
        AgentNetwork brains = module.CreatePopulation(Controller,
            new NetworkOptions { Instances = 0, Loss = OutputLoss.MeanSquaredError, Seed = 3, Optimizer = OptimizerOptions.Adam(0.02) });
        for (int i = 0; i < 6; i++)
            brains.Population.Bind(world.Create(new Observation([0f, 0f]), new Target([0f]), new AgentAction()));

        float firstLoss = 0;
        for (long frame = 0; frame < 200; frame++)
        {
            game.Update(state(frame));
            if (frame == 0)
                firstLoss = Mean(brains.Network.Graph.AllValues(brains.Network.Loss));
        }

        float lastLoss = Mean(brains.Network.Graph.AllValues(brains.Network.Loss));
        float[] parameters = brains.Network.Layers.SelectMany(layer =>
            brains.Network.Graph.AllValues(layer.Weights).ToArray().Concat(brains.Network.Graph.AllValues(layer.Bias).ToArray())).ToArray();
        string[] timed = module.Group.Timings.Select(t => t.Name).ToArray();
        Type[] systems = module.Group.Systems.Select(s => s.GetType()).ToArray();
        return (parameters, firstLoss, lastLoss, systems, timed);
    }

    private static float Mean(ReadOnlySpan<float> values)
    {
        float sum = 0;
        foreach (float v in values)
            sum += v;
        return sum / values.Length;
    }

    [Test]
    public void ModuleInstallsIntoATickCountGroupAndLearns()
    {
        var (_, first, last, systems, timed) = Train<long>(frame => frame, tick => tick);

        Assert.That(last, Is.LessThan(first / 10));
        Assert.That(systems, Is.EqualTo(new[]
        {
            typeof(CompileSystem<long>), typeof(GatherSystem<long>), typeof(PolicyObserveSystem<long>), typeof(ForwardSystem<long>), typeof(BackwardSystem<long>),
            typeof(OptimizerSystem<long>), typeof(CompleteSystem<long>), typeof(ScatterSystem<long>), typeof(PolicyActSystem<long>), typeof(DecisionPeriodSystem<long>),
        }));
        Assert.That(timed, Is.EqualTo(new[]
        {
            "CompileSystem", "GatherSystem", "PolicyObserveSystem", "ForwardSystem", "BackwardSystem", "OptimizerSystem", "CompleteSystem",
            "ScatterSystem", "PolicyActSystem", "DecisionPeriodSystem",
        }));
    }

    [Test]
    public void ModuleInstallsIntoAGroupOfTheHostsOwnStructAndComputesTheSameBits()
    {
        var ofStruct = Train<Frame>(frame => new Frame(frame, 1f / 60), f => f.Number);
        var ofFloat = Train<float>(frame => frame, f => (long)f);

        Assert.That(ofStruct.LastLoss, Is.LessThan(ofStruct.FirstLoss / 10));
        Assert.That(ofStruct.Systems[0], Is.EqualTo(typeof(CompileSystem<Frame>)));
        Assert.That(ofStruct.Parameters, Is.EqualTo(ofFloat.Parameters));
    }
}
