using EcsNeural.Ecs;

namespace EcsNeural.Demo.Arena.Systems;

/// <summary>
/// Pushes overlapping agents apart. Every agent reads the positions all agents had after moving (gathered by
/// brain slot into the agent lookup, whose grid is rebuilt here) and writes only its own, so order cannot matter
/// and the pushes run in parallel.
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
        Arena.RunOnAgents(new Step(Arena));
    }

    private readonly struct Step(ArenaSimulation arena) : IAgentStep
    {
        private readonly ArenaConfig _config = arena.Config;
        private readonly WallLayout _walls = arena.Walls;
        private readonly PointGrid _grid = arena.AgentLookup.Grid;
        private readonly Position[] _before = arena.AgentLookup.Points;

        public unsafe void Update(in AgentColumns chunk, int row) =>
            Crowding.Separate(_config, _walls, _grid, _before, chunk.Foragers[row].Slot, ref chunk.Positions[row]);
    }
}
