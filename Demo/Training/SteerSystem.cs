using EcsNeural.Components.Agents;
using EcsNeural.Demo.Arena;
using EcsNeural.Demo.Arena.Systems;
using EcsNeural.Ecs;

namespace EcsNeural.Demo.Training;

/// <summary>
/// After the neural module: the network's action of this tick becomes each agent's <see cref="Steering"/> (turn, thrust;
/// the body saturates them at ±1). An agent that has not acted yet keeps still. Skipped while the teacher drives.
/// </summary>
[UpdateBefore(typeof(MoveSystem))]
public sealed class SteerSystem(ArenaSession session) : ISystem<long>
{
    private static readonly QueryDescription Acting = new QueryDescription().WithAll<AgentAction, Steering>();

    public void Update(in long tick)
    {
        if (session.TeacherDrives)
            return;
        var body = new ApplyActions();
        session.Simulation.World.InlineQuery<ApplyActions, AgentAction, Steering>(Acting, ref body);
    }

    private readonly struct ApplyActions : IForEach<AgentAction, Steering>
    {
        public void Update(Entity entity, ref AgentAction action, ref Steering steering)
        {
            ReadOnlySpan<float> a = action.Values.AsReadOnlySpan();
            steering = a.Length == ArenaConfig.ActionSize ? new Steering(a[0], a[1]) : default;
        }
    }
}
