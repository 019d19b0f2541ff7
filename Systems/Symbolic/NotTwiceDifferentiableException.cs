using EcsNeural.Components;
using EcsNeural.Ecs;

namespace EcsNeural.Systems.Symbolic;

/// <summary>
/// A derivative was requested through a piecewise-constant operation (a step/sign mask or maxout's choice of piece)
/// under <see cref="PiecewiseDerivative.Refuse"/>: typically the second derivative of a rectifier or maxout unit.
/// The graph is left as it was before the request.
/// </summary>
public sealed class NotTwiceDifferentiableException : InvalidOperationException
{
    internal NotTwiceDifferentiableException(Entity node, OpCode op, int input, GradientOrigin? origin)
        : base(Describe(node, op, input, origin))
    {
        Node = node;
        Op = op;
        Origin = origin;
    }

    /// <summary>The piecewise-constant node the derivative would pass through.</summary>
    public Entity Node { get; }

    /// <summary>Its operation.</summary>
    public OpCode Op { get; }

    /// <summary>The node whose symbolic gradient created <see cref="Node"/> (e.g. the ReLU whose mask it is), when known.</summary>
    public GradientOrigin? Origin { get; }

    private static string Describe(Entity node, OpCode op, int input, GradientOrigin? origin)
    {
        string source = origin is { } o
            ? $", which the gradient of {o.Op} node {o.Node} created, so {o.Op} is not twice differentiable"
            : "";
        return $"Cannot differentiate through {op} node {node} (input {input}){source}: its derivative is piecewise constant — "
            + "0 almost everywhere and undefined at the jump. Pass PiecewiseDerivative.ZeroAlmostEverywhere to take it as 0.";
    }
}
