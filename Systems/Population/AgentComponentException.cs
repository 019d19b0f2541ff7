using EcsNeural.Ecs;

namespace EcsNeural.Systems.Population;

/// <summary>
/// An agent's components do not fit the network it is bound to: a component is missing or superfluous, has the wrong
/// length or holds a non-finite value. Names the agent entity, the component and what is expected. Thrown by the
/// module's systems before anything of the tick is changed for that agent; the world stays usable.
/// </summary>
public sealed class AgentComponentException : InvalidOperationException
{
    /// <summary>An error about <paramref name="component"/> of <paramref name="agent"/>: "Agent … {component} {problem}."</summary>
    public AgentComponentException(Entity agent, string component, string problem)
        : base($"Agent {agent}: its {component} {problem}.")
    {
        Agent = agent;
        Component = component;
    }

    /// <summary>The agent entity.</summary>
    public Entity Agent { get; }

    /// <summary>The component's type name.</summary>
    public string Component { get; }
}
