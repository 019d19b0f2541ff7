using EcsNeural.Components;
using EcsNeural.Ecs;

namespace EcsNeural.Systems.Graph;

/// <summary>One step of a compiled program: a node's operation, attributes and operand tensors, flattened for the hot loops.</summary>
internal struct CompiledNode
{
    public Entity Entity;
    public Node Node;
    public int InputCount;
    public TensorRef Output;
    public TensorRef Input0;
    public TensorRef Input1;
    public TensorRef Input2;
    /// <summary>Some operand's gradient is written to a contribution region first (see <see cref="TensorRef.AddTo"/>).</summary>
    public bool SeparatesContributions;
    /// <summary>
    /// An interleaved dense layer whose weights and bias nobody else uses: when the step is plain SGD without finite checks,
    /// its backward pass applies the update as it computes the gradient (never written), and the optimizer pass skips them.
    /// </summary>
    public bool MayUpdate;

    public readonly OpCode Op => Node.Op;

    public readonly TensorRef Input(int index) => index switch
    {
        0 => Input0,
        1 => Input1,
        2 => Input2,
        _ => throw new ArgumentOutOfRangeException(nameof(index)),
    };

    public void SetInput(int index, TensorRef value)
    {
        switch (index)
        {
            case 0: Input0 = value; break;
            case 1: Input1 = value; break;
            case 2: Input2 = value; break;
            default: throw new ArgumentOutOfRangeException(nameof(index));
        }
    }
}
