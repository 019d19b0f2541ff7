using EcsNeural.Ecs;

namespace EcsNeural.Demo.Arena.Systems;

/// <summary>
/// Places every eaten pellet anew at once, at a spot keyed by its index and the next tick, so the amount of
/// food stays constant; then refreshes the food lookup that sensing and eating use.
/// </summary>
[UpdateAfter(typeof(EatSystem))]
public sealed class RespawnSystem(ArenaSimulation arena) : ArenaSystem(arena)
{
    public override void Update(in long tick)
    {
        if (Arena.EatenThisTick == 0) return;
        var body = new Body(Arena, tick + 1);
        Arena.World.InlineQuery<Body, FoodPellet, Position>(ArenaSimulation.Food, ref body);
        var gather = new GatherFoodPositions(Arena.FoodLookup.Points);
        Arena.World.InlineQuery<GatherFoodPositions, FoodPellet, Position>(ArenaSimulation.Food, ref gather);
        Arena.FoodLookup.RebuildGrid();
    }

    private readonly struct Body(ArenaSimulation arena, long spawnTick) : IForEach<FoodPellet, Position>
    {
        private readonly ArenaConfig _config = arena.Config;
        private readonly WallLayout _walls = arena.Walls;

        public void Update(Entity entity, ref FoodPellet pellet, ref Position position)
        {
            if (!pellet.Eaten) return;
            pellet.Eaten = false;
            pellet.Respawns++;
            position = Feeding.SpawnPosition(_config, _walls, _config.Agents + pellet.Index, spawnTick);
        }
    }
}
