using EcsNeural.Components;
using EcsNeural.Ecs;

namespace EcsNeural.Systems.Symbolic;

/// <summary>
/// Component on every node <see cref="SymbolicGradient"/> adds: the node of the differentiated graph whose gradient it
/// helps compute (whose bprop emitted it, or whose incoming gradients it sums). Errors name it.
/// </summary>
/// <param name="Node">The node being differentiated.</param>
/// <param name="Op">Its operation.</param>
public readonly record struct GradientOrigin(Entity Node, OpCode Op);
