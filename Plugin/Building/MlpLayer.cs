using EcsNeural.Components;

namespace EcsNeural.Plugin.Building;

/// <summary>One layer of an <see cref="Mlp"/>: an affine map (dense) or radial basis units, then a unit.</summary>
/// <param name="Units">Output features of the layer.</param>
/// <param name="Activation">The unit applied to the affine output.</param>
/// <param name="Weights">How W is initialised (the activation's default when null).</param>
/// <param name="Bias">How b is initialised (the activation's default when null).</param>
/// <param name="RadialBasisSigma">σ of radial basis units, or 0 for a dense layer.</param>
public sealed record MlpLayer(int Units, Activation Activation, ParameterInit? Weights, ParameterInit? Bias, double RadialBasisSigma = 0)
{
    /// <summary>True for a layer of Gaussian radial basis units (no bias, no further unit).</summary>
    public bool IsRadialBasis => RadialBasisSigma > 0;

    /// <inheritdoc/>
    public override string ToString() => IsRadialBasis ? $"{Units} rbf(σ={RadialBasisSigma})" : $"{Units} {Activation}";
}
