using EcsNeural.Ecs;

namespace EcsNeural.Demo.Arena;

/// <summary>Copies every agent's position into <paramref name="bySlot"/> at its slot.</summary>
public readonly struct GatherAgentPositions(Position[] bySlot) : IForEach<Forager, Position>
{
    public void Update(Entity entity, ref Forager forager, ref Position position) => bySlot[forager.Slot] = position;
}

/// <summary>Copies every pellet's position into <paramref name="byIndex"/> at its pellet index.</summary>
public readonly struct GatherFoodPositions(Position[] byIndex) : IForEach<FoodPellet, Position>
{
    public void Update(Entity entity, ref FoodPellet pellet, ref Position position) => byIndex[pellet.Index] = position;
}
