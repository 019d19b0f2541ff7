using EcsNeural.Ecs;

namespace EcsNeural.Demo.Arena.Systems;

/// <summary>
/// Turns, accelerates and moves every agent by its <see cref="Steering"/> (written by the controller before this runs),
/// in parallel: each agent touches only its own components.
/// </summary>
[UpdateAfter(typeof(SenseSystem))]
public sealed class MoveSystem(ArenaSimulation arena) : ArenaSystem(arena)
{
    public override void Update(in long tick) => Arena.RunOnAgents(new Step(Arena, tick));

    private readonly struct Step(ArenaSimulation arena, long tick) : IAgentStep
    {
        private readonly ArenaConfig _config = arena.Config;
        private readonly WallLayout _walls = arena.Walls;

        public unsafe void Update(in AgentColumns chunk, int row) =>
            Locomotion.Move(_config, _walls, chunk.Foragers[row].Slot, tick, chunk.Steerings[row],
                ref chunk.Motions[row], ref chunk.Positions[row]);
    }
}
