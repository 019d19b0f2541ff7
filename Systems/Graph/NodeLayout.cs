using EcsNeural.Components;
using EcsNeural.Ecs;

namespace EcsNeural.Systems.Graph;

/// <summary>Where one node's tensors live in the arena (each region holds capacity × <see cref="Length"/> elements); −1 when absent.</summary>
internal readonly record struct NodeLayout(Entity Entity, OpCode Op, NodeShape Shape, int Value, int Gradient, int FirstState, int SecondState)
{
    public int Length => Shape.Length;
}
