using EcsNeural.Ecs;

namespace EcsNeural.Demo.Arena.Systems;

/// <summary>
/// Pushes overlapping agents apart. Every agent reads the positions all agents had after moving (gathered by
/// brain slot into the agent lookup, whose grid is rebuilt here) and writes only its own, so order cannot matter.
/// </summary>
[UpdateAfter(typeof(MoveSystem))]
public sealed class SeparateSystem(ArenaSimulation arena) : ArenaSystem(arena)
{
    public override void Update(in long tick)
    {
        PointLookup agents = Arena.AgentLookup;
        var gather = new GatherAgentPositions(agents.Points);
        Arena.World.InlineQuery<GatherAgentPositions, Forager, Position>(ArenaSimulation.Agents, ref gather);
        agents.RebuildGrid();
        var body = new Body(Arena);
        Arena.World.InlineQuery<Body, Forager, Position>(ArenaSimulation.Agents, ref body);
    }

    private readonly struct Body(ArenaSimulation arena) : IForEach<Forager, Position>
    {
        private readonly ArenaConfig _config = arena.Config;
        private readonly WallLayout _walls = arena.Walls;
        private readonly PointLookup _before = arena.AgentLookup;

        public void Update(Entity entity, ref Forager forager, ref Position position) =>
            Crowding.Separate(_config, _walls, _before.Grid, _before.Points, forager.BrainSlot, ref position);
    }
}
