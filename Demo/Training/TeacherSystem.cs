using EcsNeural.Components.Agents;
using EcsNeural.Demo.Arena;
using EcsNeural.Demo.Arena.Systems;
using EcsNeural.Ecs;

namespace EcsNeural.Demo.Training;

/// <summary>
/// After sensing: the hand-written teacher's (turn, thrust) for every agent from its own observation, in parallel. While
/// the agents imitate it, it becomes their <see cref="Target"/>; when it drives them itself (the baseline run), their
/// <see cref="Steering"/>. While they learn from reward, it is not needed and not computed.
/// </summary>
[UpdateAfter(typeof(SenseSystem))]
public sealed class TeacherSystem(ArenaSession session) : ISystem<long>
{
    private static readonly QueryDescription Imitating = new QueryDescription().WithAll<Forager, Target>();
    private readonly float[] _actions = new float[session.Config.Agents * ArenaConfig.ActionSize];

    /// <summary>The teacher's actions of this tick, row = slot.</summary>
    public ReadOnlySpan<float> Actions => _actions;

    public void Update(in long tick)
    {
        if (!session.TeacherDrives && session.Signal != TrainingSignal.Imitation)
            return;
        session.Simulation.RunOnAgents(new Step(session.Config, _actions));
        if (session.TeacherDrives)
            session.Simulation.SetSteering(_actions);
        else
        {
            var targets = new WriteTargets(_actions);
            session.Simulation.World.InlineQuery<WriteTargets, Forager, Target>(Imitating, ref targets);
        }
    }

    private readonly struct Step(ArenaConfig config, float[] actions) : IAgentStep
    {
        public unsafe void Update(in AgentColumns chunk, int row) =>
            SteeringTeacher.Steer(config, chunk.Observations[row].Values.AsReadOnlySpan(),
                actions.AsSpan(chunk.Foragers[row].Slot * ArenaConfig.ActionSize, ArenaConfig.ActionSize));
    }

    private readonly struct WriteTargets(float[] actions) : IForEach<Forager, Target>
    {
        public void Update(Entity entity, ref Forager forager, ref Target target) =>
            target.Values.Set(actions.AsSpan(forager.Slot * ArenaConfig.ActionSize, ArenaConfig.ActionSize));
    }
}
