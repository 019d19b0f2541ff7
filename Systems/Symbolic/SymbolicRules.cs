using EcsNeural.Components;

namespace EcsNeural.Systems.Symbolic;

/// <summary>
/// The table from <see cref="OpCode"/> to each operation's symbolic bprop (written with <see cref="Graph.GraphBuilder"/>
/// calls, in operations that have bprops of their own) and to which inputs it is piecewise constant in.
/// </summary>
/// <remarks>
/// The symbolic bprops live here, grouped by family, rather than next to the numeric ones in <c>Systems/Ops/&lt;Op&gt;.cs</c>:
/// an op file is a kernel over arena spans (what the hot loops run), a bprop here is graph-building code one level up;
/// keeping each family's rules together reads like the lecture's table of bprops, and each rule's comment names the
/// numeric expression it mirrors, operation for operation, so the two stay comparable side by side.
/// </remarks>
internal static class SymbolicRules
{
    /// <summary>
    /// Whether the operation is piecewise constant in input <paramref name="input"/> (derivative 0 almost everywhere,
    /// undefined at the jumps): the step and sign masks, and the selector of maxout's routing.
    /// </summary>
    public static bool IsPiecewiseConstantIn(OpCode op, int input) => op switch
    {
        OpCode.Step or OpCode.Sign => input == 0,
        OpCode.MaxoutScatter or OpCode.MaxoutGather => input == 1,
        _ => false,
    };

    /// <summary>Whether the operation's gradient is made of operations that are all differentiable (no piecewise-constant mask).</summary>
    public static bool IsTwiceDifferentiable(OpCode op) => op switch
    {
        OpCode.Relu or OpCode.LeakyRelu or OpCode.PRelu or OpCode.AbsRelu or OpCode.HardTanh or OpCode.Maxout
            or OpCode.Step or OpCode.Sign or OpCode.MaxoutScatter or OpCode.MaxoutGather => false,
        _ => true,
    };

    /// <summary>Emits the operation's gradient nodes for the inputs that need them.</summary>
    public static void Emit(BpropContext c)
    {
        switch (c.Attributes.Op)
        {
            case OpCode.Dense: LinearAlgebraBprops.Dense(c); break;
            case OpCode.MatMul: LinearAlgebraBprops.MatMul(c); break;
            case OpCode.MatMulTransposeA or OpCode.DenseWeightGradient: LinearAlgebraBprops.MatMulTransposeA(c); break;
            case OpCode.MatMulTransposeB or OpCode.DenseInputGradient: LinearAlgebraBprops.MatMulTransposeB(c); break;
            case OpCode.RadialBasis: LinearAlgebraBprops.RadialBasis(c); break;
            case OpCode.RadialBasisDifference: LinearAlgebraBprops.RadialBasisDifference(c); break;
            case OpCode.RadialBasisProduct: LinearAlgebraBprops.RadialBasisProduct(c); break;
            case OpCode.Add: BroadcastBprops.Add(c); break;
            case OpCode.Sub: BroadcastBprops.Sub(c); break;
            case OpCode.Mul: BroadcastBprops.Mul(c); break;
            case OpCode.Dot: BroadcastBprops.Dot(c); break;
            case OpCode.Div: BroadcastBprops.Div(c); break;
            case OpCode.Scale: BroadcastBprops.Scale(c); break;
            case OpCode.AddScalar: BroadcastBprops.AddScalar(c); break;
            case OpCode.DivScalar: BroadcastBprops.DivScalar(c); break;
            case OpCode.Sum: BroadcastBprops.Sum(c); break;
            case OpCode.Mean: BroadcastBprops.Mean(c); break;
            case OpCode.SumRows: BroadcastBprops.SumRows(c); break;
            case OpCode.SumCols: BroadcastBprops.SumCols(c); break;
            case OpCode.RepeatRows: BroadcastBprops.RepeatRows(c); break;
            case OpCode.RepeatCols: BroadcastBprops.RepeatCols(c); break;
            case OpCode.Exp: ElementwiseBprops.Exp(c); break;
            case OpCode.Log: ElementwiseBprops.Log(c); break;
            case OpCode.Sin: ElementwiseBprops.Sin(c); break;
            case OpCode.Cos: ElementwiseBprops.Cos(c); break;
            case OpCode.Square: ElementwiseBprops.Square(c); break;
            case OpCode.Sigmoid: ElementwiseBprops.Sigmoid(c); break;
            case OpCode.Tanh: ElementwiseBprops.Tanh(c); break;
            case OpCode.Softplus: ElementwiseBprops.Softplus(c); break;
            case OpCode.Relu: RectifierBprops.Relu(c); break;
            case OpCode.LeakyRelu: RectifierBprops.LeakyRelu(c); break;
            case OpCode.PRelu: RectifierBprops.PRelu(c); break;
            case OpCode.AbsRelu: RectifierBprops.AbsRelu(c); break;
            case OpCode.HardTanh: RectifierBprops.HardTanh(c); break;
            case OpCode.Maxout: RectifierBprops.Maxout(c); break;
            case OpCode.MaxoutScatter: RectifierBprops.MaxoutScatter(c); break;
            case OpCode.MaxoutGather: RectifierBprops.MaxoutGather(c); break;
            case OpCode.Softmax: SoftmaxAndLossBprops.Softmax(c); break;
            case OpCode.LogSoftmax: SoftmaxAndLossBprops.LogSoftmax(c); break;
            case OpCode.MseLoss: SoftmaxAndLossBprops.MseLoss(c); break;
            case OpCode.SigmoidCrossEntropyLoss: SoftmaxAndLossBprops.SigmoidCrossEntropyLoss(c); break;
            case OpCode.SoftmaxCrossEntropyLoss: SoftmaxAndLossBprops.SoftmaxCrossEntropyLoss(c); break;
            case OpCode.NllLoss: SoftmaxAndLossBprops.NllLoss(c); break;
            // Constants (exactly zero derivative) and masks (zero almost everywhere, checked before Emit): nothing to give.
            case OpCode.Fill or OpCode.OneHot or OpCode.Step or OpCode.Sign: break;
            default: throw new InvalidOperationException($"{c.Attributes.Op} has no symbolic bprop.");
        }
    }
}
