using EcsNeural.Components;
using EcsNeural.Ecs;
using EcsNeural.Plugin.Building;
using EcsNeural.Systems.Graph;
using EcsNeural.Systems.Reinforcement;

namespace EcsNeural.Plugin.Agents;

/// <summary>
/// Builds a policy's networks into a graph: raw observations, normalised in the graph by constant nodes holding the running
/// statistics, x̂ = (x − mean) ⊙ (variance + 10⁻⁸)^(−½); then two separate copies of the hidden layers, one ending in the
/// policy head (μ or logits; small initial weights, so the first actions are near-uniform) and one in the value head V(s).
/// A Gaussian policy adds log σ as a parameter [1 × actions] starting at 0 (σ = 1).
/// </summary>
internal static class PolicyNetwork
{
    private const double VarianceFloor = 1e-8;

    /// <summary>The nodes of <paramref name="hidden"/>'s policy and value networks on <paramref name="batch"/> rows.</summary>
    public static PolicyNodes Build(ComputeGraph<float> graph, int batch, Mlp hidden, ActionSpace actions)
    {
        var nn = new GraphBuilder(graph);
        int features = hidden.InputFeatures;
        Entity observation = nn.Input(batch, features);
        Entity count = nn.Constant(1, 1, ParameterInit.Zeros);
        Entity mean = nn.Constant(1, features, ParameterInit.Zeros);
        Entity variance = nn.Constant(1, features, ParameterInit.Constant(1));
        Entity inverseStd = nn.Exp(nn.Scale(nn.Log(nn.AddScalar(variance, VarianceFloor)), -0.5));
        Entity normalized = nn.Mul(nn.Sub(observation, mean), inverseStd);

        MlpStack policy = hidden.Stack(nn, normalized);
        DenseLayer head = nn.DenseLayer(policy.Output, actions.HeadWidth, ParameterInit.Normal(0.01), ParameterInit.Zeros);
        Entity logStd = actions.IsDiscrete ? Entity.Null : nn.Parameter(1, actions.Size, ParameterInit.Zeros);
        MlpStack critic = hidden.Stack(nn, normalized);
        DenseLayer value = nn.DenseLayer(critic.Output, 1, ParameterInit.Xavier, ParameterInit.Zeros);
        return new PolicyNodes(observation, count, mean, variance, head.Output, logStd, value.Output, [normalized, .. policy.Units, head.Output],
            [.. policy.Layers.Select(l => l.Weights), head.Weights]);
    }
}
