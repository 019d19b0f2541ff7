namespace EcsNeural.Components;

/// <summary>A computational-graph node: its operation and the operation's constant attributes.</summary>
/// <param name="Op">The operation.</param>
/// <param name="Scalar">Real attribute: α of leaky ReLU, σ of a radial basis unit, c of <see cref="OpCode.Scale"/> and <see cref="OpCode.AddScalar"/>.</param>
/// <param name="Pieces">Integer attribute: k, the pieces per maxout unit.</param>
public readonly record struct Node(OpCode Op, double Scalar = 0, int Pieces = 0);
