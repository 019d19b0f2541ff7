using System.Numerics;
using EcsNeural.Components;

namespace EcsNeural.Systems.Ops;

/// <summary>The table from <see cref="OpCode"/> to each operation's arity, shape rule, forward and backward.</summary>
internal static class Operations
{
    /// <summary>How many inputs the operation takes (0 for the leaves Input and Parameter).</summary>
    public static int Arity(OpCode op) => op switch
    {
        OpCode.Input or OpCode.Parameter => 0,
        OpCode.Dense or OpCode.RadialBasisDifference => 3,
        OpCode.MatMul or OpCode.Add or OpCode.Sub or OpCode.Mul or OpCode.PRelu or OpCode.RadialBasis
            or OpCode.MseLoss or OpCode.SigmoidCrossEntropyLoss or OpCode.SoftmaxCrossEntropyLoss or OpCode.NllLoss => 2,
        OpCode.Div or OpCode.Dot or OpCode.RadialBasisProduct or OpCode.MatMulTransposeA or OpCode.MatMulTransposeB or OpCode.DenseInputGradient or OpCode.DenseWeightGradient or OpCode.MaxoutScatter or OpCode.MaxoutGather => 2,
        _ => 1,
    };

    /// <summary>
    /// Operations that overwrite an operand's gradient when they are its first writer (saving the clear and a
    /// read-modify-write of every parameter gradient). Every other operation adds into cleared gradients.
    /// </summary>
    public static bool OverwritesFirstGradient(OpCode op) => op == OpCode.Dense;

    /// <summary>The per-instance output shape, or <see cref="InvalidShapeException"/> when the inputs do not fit.</summary>
    public static NodeShape Shape(in Node node, ReadOnlySpan<NodeShape> inputs) => node.Op switch
    {
        OpCode.Dense => Dense.Shape(inputs),
        OpCode.MatMul => MatMul.Shape(inputs),
        OpCode.Add or OpCode.Sub or OpCode.Mul => ShapeRules.Broadcast(inputs),
        OpCode.Sum or OpCode.Mean => NodeShape.Scalar,
        OpCode.PRelu => PRelu.Shape(inputs),
        OpCode.Maxout => Maxout.Shape(inputs, node.Pieces),
        OpCode.RadialBasis => RadialBasis.Shape(inputs, node.Scalar),
        OpCode.RadialBasisDifference or OpCode.RadialBasisProduct => RadialBasisContraction.Shape(node, inputs),
        OpCode.MseLoss or OpCode.SigmoidCrossEntropyLoss or OpCode.SoftmaxCrossEntropyLoss or OpCode.NllLoss => ShapeRules.Loss(inputs),
        OpCode.Div => Div.Shape(inputs),
        OpCode.DivScalar => DivScalar.Shape(inputs, node.Scalar),
        OpCode.SumRows => SumRows.Shape(inputs),
        OpCode.SumCols => SumCols.Shape(inputs),
        OpCode.RepeatRows => RepeatRows.Shape(inputs, node.Pieces),
        OpCode.RepeatCols => RepeatCols.Shape(inputs, node.Pieces),
        OpCode.MatMulTransposeA or OpCode.DenseWeightGradient => TransposedMatMul.Shape(inputs, transposeA: true),
        OpCode.MatMulTransposeB or OpCode.DenseInputGradient => TransposedMatMul.Shape(inputs, transposeA: false),
        OpCode.MaxoutScatter => MaxoutScatter.Shape(inputs, node.Pieces),
        OpCode.MaxoutGather => MaxoutGather.Shape(inputs, node.Pieces),
        OpCode.OneHot => OneHot.Shape(inputs, node.Pieces),
        OpCode.Dot => Dot.Shape(inputs),
        OpCode.Input or OpCode.Parameter => throw new InvalidOperationException("Leaves have explicit shapes."),
        _ => ShapeRules.SameAsInput(inputs),
    };

    public static void Forward<T>(in OpContext<T> c, OpCode op) where T : unmanaged, IFloatingPointIeee754<T>
    {
        switch (op)
        {
            case OpCode.Dense: Dense.Forward(c); break;
            case OpCode.MatMul: MatMul.Forward(c); break;
            case OpCode.Add: Add.Forward(c); break;
            case OpCode.Sub: Sub.Forward(c); break;
            case OpCode.Mul: Mul.Forward(c); break;
            case OpCode.Scale: Scale.Forward(c); break;
            case OpCode.AddScalar: AddScalar.Forward(c); break;
            case OpCode.Exp: Exp.Forward(c); break;
            case OpCode.Log: Log.Forward(c); break;
            case OpCode.Sin: Sin.Forward(c); break;
            case OpCode.Cos: Cos.Forward(c); break;
            case OpCode.Square: Square.Forward(c); break;
            case OpCode.Sum: Sum.Forward(c); break;
            case OpCode.Mean: Mean.Forward(c); break;
            case OpCode.Relu: Relu.Forward(c); break;
            case OpCode.LeakyRelu: LeakyRelu.Forward(c); break;
            case OpCode.PRelu: PRelu.Forward(c); break;
            case OpCode.AbsRelu: AbsRelu.Forward(c); break;
            case OpCode.Maxout: Maxout.Forward(c); break;
            case OpCode.Sigmoid: Sigmoid.Forward(c); break;
            case OpCode.Tanh: Tanh.Forward(c); break;
            case OpCode.Softplus: Softplus.Forward(c); break;
            case OpCode.HardTanh: HardTanh.Forward(c); break;
            case OpCode.RadialBasis: RadialBasis.Forward(c); break;
            case OpCode.RadialBasisDifference: RadialBasisContraction.DifferenceForward(c); break;
            case OpCode.RadialBasisProduct: RadialBasisContraction.ProductForward(c); break;
            case OpCode.Softmax: Softmax.Forward(c); break;
            case OpCode.LogSoftmax: LogSoftmax.Forward(c); break;
            case OpCode.MseLoss: MseLoss.Forward(c); break;
            case OpCode.SigmoidCrossEntropyLoss: SigmoidCrossEntropyLoss.Forward(c); break;
            case OpCode.SoftmaxCrossEntropyLoss: SoftmaxCrossEntropyLoss.Forward(c); break;
            case OpCode.NllLoss: NllLoss.Forward(c); break;
            case OpCode.Div: Div.Forward(c); break;
            case OpCode.DivScalar: DivScalar.Forward(c); break;
            case OpCode.SumRows: SumRows.Forward(c); break;
            case OpCode.SumCols: SumCols.Forward(c); break;
            case OpCode.RepeatRows: RepeatRows.Forward(c); break;
            case OpCode.RepeatCols: RepeatCols.Forward(c); break;
            case OpCode.MatMulTransposeA: TransposedMatMul.Forward(c, transposeA: true); break;
            case OpCode.MatMulTransposeB: TransposedMatMul.Forward(c, transposeA: false); break;
            case OpCode.DenseInputGradient: DenseInputGradient.Forward(c); break;
            case OpCode.DenseWeightGradient: DenseWeightGradient.Forward(c); break;
            case OpCode.Step: Step.Forward(c); break;
            case OpCode.Sign: Sign.Forward(c); break;
            case OpCode.MaxoutScatter: MaxoutScatter.Forward(c); break;
            case OpCode.MaxoutGather: MaxoutGather.Forward(c); break;
            case OpCode.Fill: Fill.Forward(c); break;
            case OpCode.OneHot: OneHot.Forward(c); break;
            case OpCode.Dot: Dot.Forward(c); break;
            default: throw new InvalidOperationException($"{op} has no forward pass.");
        }
    }

    public static void Backward<T>(in OpContext<T> c, OpCode op) where T : unmanaged, IFloatingPointIeee754<T>
    {
        switch (op)
        {
            case OpCode.Dense: Dense.Backward(c); break;
            case OpCode.MatMul: MatMul.Backward(c); break;
            case OpCode.Add: Add.Backward(c); break;
            case OpCode.Sub: Sub.Backward(c); break;
            case OpCode.Mul: Mul.Backward(c); break;
            case OpCode.Scale: Scale.Backward(c); break;
            case OpCode.AddScalar: AddScalar.Backward(c); break;
            case OpCode.Exp: Exp.Backward(c); break;
            case OpCode.Log: Log.Backward(c); break;
            case OpCode.Sin: Sin.Backward(c); break;
            case OpCode.Cos: Cos.Backward(c); break;
            case OpCode.Square: Square.Backward(c); break;
            case OpCode.Sum: Sum.Backward(c); break;
            case OpCode.Mean: Mean.Backward(c); break;
            case OpCode.Relu: Relu.Backward(c); break;
            case OpCode.LeakyRelu: LeakyRelu.Backward(c); break;
            case OpCode.PRelu: PRelu.Backward(c); break;
            case OpCode.AbsRelu: AbsRelu.Backward(c); break;
            case OpCode.Maxout: Maxout.Backward(c); break;
            case OpCode.Sigmoid: Sigmoid.Backward(c); break;
            case OpCode.Tanh: Tanh.Backward(c); break;
            case OpCode.Softplus: Softplus.Backward(c); break;
            case OpCode.HardTanh: HardTanh.Backward(c); break;
            case OpCode.RadialBasis: RadialBasis.Backward(c); break;
            case OpCode.RadialBasisDifference: RadialBasisContraction.DifferenceBackward(c); break;
            case OpCode.RadialBasisProduct: RadialBasisContraction.ProductBackward(c); break;
            case OpCode.Softmax: Softmax.Backward(c); break;
            case OpCode.LogSoftmax: LogSoftmax.Backward(c); break;
            case OpCode.MseLoss: MseLoss.Backward(c); break;
            case OpCode.SigmoidCrossEntropyLoss: SigmoidCrossEntropyLoss.Backward(c); break;
            case OpCode.SoftmaxCrossEntropyLoss: SoftmaxCrossEntropyLoss.Backward(c); break;
            case OpCode.NllLoss: NllLoss.Backward(c); break;
            case OpCode.Div: Div.Backward(c); break;
            case OpCode.DivScalar: DivScalar.Backward(c); break;
            case OpCode.SumRows: SumRows.Backward(c); break;
            case OpCode.SumCols: SumCols.Backward(c); break;
            case OpCode.RepeatRows: RepeatRows.Backward(c); break;
            case OpCode.RepeatCols: RepeatCols.Backward(c); break;
            case OpCode.MatMulTransposeA or OpCode.DenseWeightGradient: TransposedMatMul.Backward(c, transposeA: true); break;
            case OpCode.MatMulTransposeB or OpCode.DenseInputGradient: TransposedMatMul.Backward(c, transposeA: false); break;
            case OpCode.Step: Step.Backward(c); break;
            case OpCode.Sign: Sign.Backward(c); break;
            case OpCode.MaxoutScatter: MaxoutScatter.Backward(c); break;
            case OpCode.MaxoutGather: MaxoutGather.Backward(c); break;
            case OpCode.Fill: Fill.Backward(c); break;
            case OpCode.OneHot: OneHot.Backward(c); break;
            case OpCode.Dot: Dot.Backward(c); break;
            default: throw new InvalidOperationException($"{op} has no backward pass.");
        }
    }
}
