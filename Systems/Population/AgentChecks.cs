using EcsNeural.Ecs;

namespace EcsNeural.Systems.Population;

/// <summary>Refusals of agents whose components cannot work with their network, found by query (cheap: it matches archetypes, not agents).</summary>
public static class AgentChecks
{
    /// <summary>Throws <see cref="AgentComponentException"/> for the first agent (lowest entity id) <paramref name="query"/> matches.</summary>
    public static void Refuse(World world, in QueryDescription query, string component, string problem)
    {
        if (world.CountEntities(query) == 0)
            return;
        Entity first = Entity.Null;
        foreach (Chunk chunk in world.Query(query))
        {
            foreach (Entity e in chunk.Entities)
            {
                if (first == Entity.Null || e.Id < first.Id)
                    first = e;
            }
        }
        throw new AgentComponentException(first, component, problem);
    }
}
