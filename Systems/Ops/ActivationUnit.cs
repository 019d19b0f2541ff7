using EcsNeural.Components;
using EcsNeural.Ecs;
using EcsNeural.Systems.Graph;

namespace EcsNeural.Systems.Ops;

/// <summary>
/// How an op serves as a layer's activation (hidden or output unit) in the Plugin's <c>Mlp</c> builder: the builder's
/// <c>Activation</c> names the op and one parameter, and reads everything else here.
/// </summary>
/// <param name="Rectifier">Whether the unit is a rectifier: its layer's weights default to He and its bias to 0.1 (else Xavier and 0).</param>
public sealed record ActivationUnit(bool Rectifier)
{
    /// <summary>
    /// Builds the unit on the affine output <c>z</c> of a layer of <c>units</c> units with the activation's parameter; by
    /// default one node of this op with the parameter as its scalar attribute.
    /// </summary>
    public Func<GraphBuilder, OpCode, Entity, double, int, Entity> Apply { get; init; } = static (nn, op, z, parameter, _) => nn.Op(new Node(op, parameter), z);

    /// <summary>Affine outputs per unit (maxout's pieces k; 1 for every other unit).</summary>
    public Func<double, int> AffinePerUnit { get; init; } = static _ => 1;

    /// <summary>How the activation is written (e.g. <c>LeakyRelu(0.01)</c>); by default the op's name.</summary>
    public Func<OpCode, double, string> Format { get; init; } = static (op, _) => op.ToString();

    /// <summary>Checks the parameter, throwing <see cref="ArgumentOutOfRangeException"/> naming it when the unit cannot take it.</summary>
    public Action<double> Validate { get; init; } = static _ => { };
}
