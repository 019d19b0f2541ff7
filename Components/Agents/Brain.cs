namespace EcsNeural.Components.Agents;

/// <summary>
/// Binds an agent entity to one instance of a population's graph: its network is instance <see cref="Instance"/> of
/// graph <see cref="GraphId"/>. The population keeps <see cref="Instance"/> right when other agents leave (their
/// instance is swap-removed and the last agent is re-pointed). An agent spawned with <see cref="Unbound"/> gets an
/// instance at the next gather.
/// </summary>
/// <param name="GraphId">Id of the population's graph (<c>ComputeGraph.Id</c>).</param>
/// <param name="Instance">Instance index in that graph, or −1 while waiting for one.</param>
public readonly record struct Brain(int GraphId, int Instance)
{
    /// <summary>A brain asking population <paramref name="graphId"/> for a new instance at its next gather.</summary>
    public static Brain Unbound(int graphId) => new(graphId, -1);

    /// <summary>True when the brain has an instance.</summary>
    public bool IsBound => Instance >= 0;
}
