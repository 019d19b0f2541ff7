using EcsNeural.Demo.Arena.Systems;
using EcsNeural.Ecs;

namespace EcsNeural.Demo.Training;

/// <summary>
/// The session's step inside the arena's system group: after sensing, the networks (or the teacher) act on
/// the observations and learn, and the chosen actions become the agents' <see cref="Arena.Steering"/>
/// before they move.
/// </summary>
[UpdateAfter(typeof(SenseSystem))]
[UpdateBefore(typeof(MoveSystem))]
public sealed class ControlSystem(ArenaSession session) : ISystem<long>
{
    public void Update(in long tick) => session.Control(tick);
}
