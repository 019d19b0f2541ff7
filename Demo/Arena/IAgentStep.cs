namespace EcsNeural.Demo.Arena;

/// <summary>
/// A per-agent step that may run on any thread, in any order: it reads the agent's own row and state shared by all
/// agents that nobody writes while it runs, and writes only the agent's own row (and rows keyed by its slot).
/// Implement it on a struct and run it with <see cref="ArenaSimulation.RunOnAgents{TStep}"/>.
/// </summary>
public interface IAgentStep
{
    /// <summary>Updates the agent in row <paramref name="row"/> of <paramref name="chunk"/>.</summary>
    void Update(in AgentColumns chunk, int row);
}
