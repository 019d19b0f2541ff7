using EcsNeural.Components.Agents;
using EcsNeural.Ecs;
using EcsNeural.Ecs.Jobs;
using EcsNeural.Systems.Graph;
using EcsNeural.Systems.Population;

namespace EcsNeural.Systems.Reinforcement;

/// <summary>The reward-learning policies of one <see cref="NeuralRuntime"/>, found by id (what a <see cref="PolicyBrain"/> stores).</summary>
public sealed class PolicyRegistry
{
    private static readonly QueryDescription WithoutObservation = new QueryDescription().WithAll<PolicyBrain>().WithNone<Observation>();
    private static readonly QueryDescription WithoutAction = new QueryDescription().WithAll<PolicyBrain>().WithNone<AgentAction>();
    private static readonly QueryDescription TwoNetworks = new QueryDescription().WithAll<PolicyBrain, Brain>();
    private static readonly QueryDescription Bound = new QueryDescription().WithAll<PolicyBrain>();
    private readonly List<PpoPolicy> _policies = [];

    /// <summary>A registry for the graphs of <paramref name="runtime"/>, whose updates run on <paramref name="scheduler"/>.</summary>
    public PolicyRegistry(NeuralRuntime runtime, JobScheduler scheduler)
    {
        ArgumentNullException.ThrowIfNull(runtime);
        ArgumentNullException.ThrowIfNull(scheduler);
        Runtime = runtime;
        Scheduler = scheduler;
    }

    /// <summary>The runtime owning the policies' graphs.</summary>
    public NeuralRuntime Runtime { get; }

    /// <summary>The scheduler the policies' updates run on.</summary>
    public JobScheduler Scheduler { get; }

    /// <summary>Policies in creation order.</summary>
    public IReadOnlyList<PpoPolicy> All => _policies;

    /// <summary>
    /// Creates a policy for agents observing <paramref name="observations"/> values and acting in <paramref name="actions"/>.
    /// <paramref name="buildNetwork"/> builds the policy and value networks into a given graph with a given batch (it is
    /// called twice: for the acting graph and, when <paramref name="learns"/>, for the learning graph).
    /// </summary>
    public PpoPolicy Create(int observations, ActionSpace actions, PpoOptions options, bool learns,
        Func<ComputeGraph<float>, int, PolicyNodes> buildNetwork)
    {
        ArgumentNullException.ThrowIfNull(buildNetwork);
        var policy = new PpoPolicy(Runtime, Scheduler, observations, actions, options, learns, buildNetwork);
        _policies.Add(policy);
        return policy;
    }

    /// <summary>The policy with id <paramref name="id"/>, if there is one.</summary>
    public bool TryGet(int id, out PpoPolicy policy)
    {
        foreach (PpoPolicy candidate in _policies)
        {
            if (candidate.Id == id)
            {
                policy = candidate;
                return true;
            }
        }
        policy = null!;
        return false;
    }

    /// <summary>Retires every policy when their owner (the neural module) is uninstalled: later binds throw <see cref="ObjectDisposedException"/>.</summary>
    public void RetireAll()
    {
        foreach (PpoPolicy policy in _policies)
            policy.Retire();
        _policies.Clear();
    }

    /// <summary>
    /// Refuses agents whose components cannot work with a policy: no <see cref="Observation"/> or <see cref="AgentAction"/>,
    /// bound to a population as well, or naming no policy. The first such agent (lowest entity id) is named.
    /// </summary>
    internal void CheckAgents()
    {
        World world = Runtime.World;
        AgentChecks.Refuse(world, WithoutObservation, nameof(Observation), "is missing: an agent bound to a policy needs an Observation of the policy's input width");
        AgentChecks.Refuse(world, WithoutAction, nameof(AgentAction), "is missing: an agent bound to a policy needs an AgentAction to receive its actions");
        AgentChecks.Refuse(world, TwoNetworks, nameof(Brain), "binds it to a population while a PolicyBrain binds it to a policy; an agent follows one network");
        foreach (Chunk chunk in world.Query(Bound))
        {
            Span<PolicyBrain> brains = chunk.GetSpan<PolicyBrain>();
            for (int i = 0; i < brains.Length; i++)
            {
                if (!TryGet(brains[i].PolicyId, out _))
                    throw new AgentComponentException(chunk.Entities[i], nameof(PolicyBrain), $"names policy {brains[i].PolicyId}, which this module does not have");
            }
        }
    }
}
