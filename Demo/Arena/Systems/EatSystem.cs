using EcsNeural.Ecs;

namespace EcsNeural.Demo.Arena.Systems;

/// <summary>
/// Lets agents eat. Who gets a contested pellet depends on order, so the eating itself runs over the
/// positions gathered by slot, in slot order; the results are then written back to each
/// <see cref="Forager"/> and <see cref="FoodPellet"/>.
/// </summary>
[UpdateAfter(typeof(SeparateSystem))]
public sealed class EatSystem(ArenaSimulation arena) : ArenaSystem(arena)
{
    private readonly bool[] _eaten = new bool[arena.Config.FoodCount];

    public override void Update(in long tick)
    {
        PointLookup agents = Arena.AgentLookup, food = Arena.FoodLookup;
        var gather = new GatherAgentPositions(agents.Points);
        Arena.World.InlineQuery<GatherAgentPositions, Forager, Position>(ArenaSimulation.Agents, ref gather);
        Array.Clear(_eaten);
        Arena.EatenThisTick = Feeding.Eat(Arena.Config, food.Grid, food.Points, _eaten, agents.Points, Arena.AteBySlot);

        var credit = new CreditForagers(Arena.AteBySlot);
        Arena.World.InlineQuery<CreditForagers, Forager>(ArenaSimulation.Agents, ref credit);
        var mark = new MarkPellets(_eaten);
        Arena.World.InlineQuery<MarkPellets, FoodPellet>(ArenaSimulation.Food, ref mark);
    }

    private readonly struct CreditForagers(int[] ateBySlot) : IForEach<Forager>
    {
        public void Update(Entity entity, ref Forager forager) => forager.Eaten += ateBySlot[forager.Slot];
    }

    private readonly struct MarkPellets(bool[] eatenByIndex) : IForEach<FoodPellet>
    {
        public void Update(Entity entity, ref FoodPellet pellet) => pellet.Eaten = eatenByIndex[pellet.Index];
    }
}
