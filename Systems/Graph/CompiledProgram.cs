using EcsNeural.Ecs;

namespace EcsNeural.Systems.Graph;

/// <summary>
/// A trainable node of G′ as the optimizer sees it: arena offsets of value and optimizer state, and of the gradient (in
/// the arena, or in one block's scratch when gradients are block-local).
/// </summary>
/// <remarks><see cref="UpdatedBy"/>: the dense node whose backward pass may apply this parameter's SGD step itself (−1: none).</remarks>
internal readonly record struct ParameterSlots(int Node, int Value, int Gradient, int FirstState, int SecondState, int Length, int UpdatedBy = -1);

/// <summary>
/// What compiling a graph produces and keeps until the graph changes: nodes in topological order and the index lists
/// the forward, backward and optimizer passes walk.
/// </summary>
internal sealed class CompiledProgram
{
    /// <summary>Every node, in topological order (ties broken by creation index).</summary>
    public required CompiledNode[] Nodes { get; init; }
    /// <summary>Leaves (inputs, parameters), checked for non-finite values before the forward pass.</summary>
    public required int[] Leaves { get; init; }
    /// <summary>Operation nodes in topological order.</summary>
    public required int[] ForwardSteps { get; init; }
    /// <summary>
    /// Operation nodes of G′ (ancestors of the loss that descend from a requested variable) with an input in G′, reverse
    /// topological order.
    /// </summary>
    public required int[] BackwardSteps { get; init; }
    /// <summary>
    /// Nodes of G′ whose gradient is cleared at the start of every backward pass: all of them except gradients being
    /// accumulated across passes and those the first writer overwrites.
    /// </summary>
    public required int[] ClearedGradients { get; init; }
    /// <summary>Requested variables in G′; their gradients are the backward pass's result.</summary>
    public required int[] Variables { get; init; }
    /// <summary>Trainable nodes of G′, updated by the optimizer.</summary>
    public required ParameterSlots[] Parameters { get; init; }
    /// <summary>Per node (index into <see cref="Nodes"/>), its position in <see cref="Parameters"/>, or −1.</summary>
    public int[] ParameterIndex => _parameterIndex ??= IndexParameters();
    private int[]? _parameterIndex;
    /// <summary>Index of the loss node in <see cref="Nodes"/>, or −1 for an inference-only graph.</summary>
    public required int Loss { get; init; }
    /// <summary>Operation nodes in the order the forward pass evaluates them.</summary>
    public required Entity[] ForwardOrder { get; init; }
    /// <summary>Operation nodes in the order the backward pass visits them.</summary>
    public required Entity[] BackwardOrder { get; init; }
    /// <summary>Instances per scheduled block (depends on the shapes only).</summary>
    public required int BlockSize { get; init; }
    /// <summary>How the arena orders instances for this program (interleaved only when every node runs so).</summary>
    public required LaneLayout Lanes { get; init; }
    /// <summary>
    /// Elements of the per-block gradient scratch when gradients are block-local (<see cref="GradientMode.BlockLocal"/>):
    /// every gradient offset in the program then points into it, with instance 0 at the block's first instance. 0 when
    /// gradients live in the arena. Set by the compiler once the contribution regions the program uses are laid out too.
    /// </summary>
    public int BlockGradientLength { get; set; }

    private int[] IndexParameters()
    {
        int[] index = new int[Nodes.Length];
        Array.Fill(index, -1);
        for (int k = 0; k < Parameters.Length; k++)
            index[Parameters[k].Node] = k;
        return index;
    }
}
