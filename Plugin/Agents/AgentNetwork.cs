using EcsNeural.Plugin.Building;
using EcsNeural.Systems.Population;

namespace EcsNeural.Plugin.Agents;

/// <summary>
/// A population made by <see cref="NeuralModule.CreatePopulation"/>: one network per agent. Give an agent entity an
/// <see cref="EcsNeural.Components.Agents.Observation"/>, an <see cref="EcsNeural.Components.Agents.AgentAction"/>,
/// optionally a <see cref="EcsNeural.Components.Agents.Target"/> and a <see cref="DecisionPeriod"/>, and bind it with
/// <c>Population.Bind(agent)</c> (or add <c>Brain.Unbound(Network.Graph.Id)</c>).
/// </summary>
/// <param name="Network">The network's nodes; instance i is the brain of <c>Population.AgentOf(i)</c>.</param>
/// <param name="Population">The binding between agents and instances.</param>
public sealed record AgentNetwork(MlpNetwork<float> Network, AgentPopulation Population);
