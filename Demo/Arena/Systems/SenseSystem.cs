namespace EcsNeural.Demo.Arena.Systems;

/// <summary>
/// Fills every agent's <see cref="Sensors"/> and its <see cref="Components.Agents.Observation"/> (what its network sees),
/// in parallel: each agent reads only the food lookup, the walls and its own components.
/// </summary>
public sealed class SenseSystem(ArenaSimulation arena) : ArenaSystem(arena)
{
    public override void Update(in long tick) => Arena.RunOnAgents(new Step(Arena));

    private readonly struct Step(ArenaSimulation arena) : IAgentStep
    {
        private readonly ArenaConfig _config = arena.Config;
        private readonly WallLayout _walls = arena.Walls;
        private readonly PointGrid _foodGrid = arena.FoodLookup.Grid;
        private readonly Position[] _food = arena.FoodLookup.Points;

        public unsafe void Update(in AgentColumns chunk, int row) =>
            RaySensing.Sense(_config, _walls, _foodGrid, _food, chunk.Positions[row], chunk.Motions[row], ref chunk.Sensors[row],
                chunk.Observations[row].Values.AsSpan());
    }
}
