using EcsNeural.Components;
using EcsNeural.Ecs;

namespace EcsNeural.Plugin.Onnx;

/// <summary>
/// Emits the ONNX nodes computing one of our operations (see <see cref="OnnxExporter"/> for the mapping). No mapping
/// bakes in the number of rows (Reshape targets use −1, Tile counts are the node's own repeats), so a model whose rows
/// are independent samples runs any batch.
/// </summary>
internal sealed class OnnxOps(OnnxModelBuilder model)
{
    public void Emit(Entity entity, Node node, string[] x, NodeShape[] shapes, string y)
    {
        switch (node.Op)
        {
            case OpCode.Dense: model.Node("Gemm", y, x); break;
            case OpCode.MatMul: model.Node("MatMul", y, x); break;
            case OpCode.MatMulTransposeA or OpCode.DenseWeightGradient: model.Node("MatMul", y, [model.Node("Transpose", model.Fresh("t"), [x[0]]), x[1]]); break;
            case OpCode.MatMulTransposeB or OpCode.DenseInputGradient: model.Node("MatMul", y, [x[0], model.Node("Transpose", model.Fresh("t"), [x[1]])]); break;
            case OpCode.Add: model.Node("Add", y, x); break;
            case OpCode.Sub: model.Node("Sub", y, x); break;
            case OpCode.Mul: model.Node("Mul", y, x); break;
            case OpCode.Div: model.Node("Div", y, x); break;
            case OpCode.Scale: model.Node("Mul", y, [x[0], model.Scalar(node.Scalar)]); break;
            case OpCode.AddScalar: model.Node("Add", y, [x[0], model.Scalar(node.Scalar)]); break;
            case OpCode.DivScalar: model.Node("Div", y, [x[0], model.Scalar(node.Scalar)]); break;
            case OpCode.Exp: model.Node("Exp", y, x); break;
            case OpCode.Log: model.Node("Log", y, x); break;
            case OpCode.Sin: model.Node("Sin", y, x); break;
            case OpCode.Cos: model.Node("Cos", y, x); break;
            case OpCode.Square: model.Node("Mul", y, [x[0], x[0]]); break;
            case OpCode.Sum: model.Node("ReduceSum", y, x, OnnxAttribute.Of("keepdims", 1L)); break;
            case OpCode.Dot: model.Node("ReduceSum", y, [model.Node("Mul", model.Fresh("product"), x)], OnnxAttribute.Of("keepdims", 1L)); break;
            case OpCode.Mean: model.Node("ReduceMean", y, x, OnnxAttribute.Of("keepdims", 1L)); break;
            case OpCode.SumRows: model.Node("ReduceSum", y, [x[0], model.Int64s(0)], OnnxAttribute.Of("keepdims", 1L)); break;
            case OpCode.SumCols: model.Node("ReduceSum", y, [x[0], model.Int64s(1)], OnnxAttribute.Of("keepdims", 1L)); break;
            case OpCode.RepeatRows: model.Node("Tile", y, [x[0], model.Int64s(node.Pieces, 1)]); break;
            case OpCode.RepeatCols: model.Node("Tile", y, [x[0], model.Int64s(1, node.Pieces)]); break;
            case OpCode.Relu: model.Node("Relu", y, x); break;
            case OpCode.LeakyRelu: model.Node("LeakyRelu", y, x, OnnxAttribute.Of("alpha", (float)node.Scalar)); break;
            case OpCode.PRelu: model.Node("PRelu", y, x); break;
            case OpCode.AbsRelu: model.Node("Abs", y, x); break;
            case OpCode.Sign: model.Node("Sign", y, x); break;
            case OpCode.Step:
                string positive = model.Node("Greater", model.Fresh("positive"), [x[0], model.Scalar(0)]);
                model.Node("Where", y, [positive, model.Scalar(1), model.Scalar(node.Scalar)]);
                break;
            case OpCode.Maxout:
                string grouped = model.Node("Reshape", model.Fresh("pieces"), [x[0], model.Int64s(-1, shapes[0].Cols / node.Pieces, node.Pieces)]);
                model.Node("ReduceMax", y, [grouped], OnnxAttribute.Of("axes", [2L]), OnnxAttribute.Of("keepdims", 0L));
                break;
            case OpCode.Sigmoid: model.Node("Sigmoid", y, x); break;
            case OpCode.Tanh: model.Node("Tanh", y, x); break;
            case OpCode.Softplus: model.Node("Softplus", y, x); break;
            case OpCode.HardTanh: model.Node("Clip", y, [x[0], model.Scalar(-1), model.Scalar(1)]); break;
            case OpCode.RadialBasis: RadialBasis(node, x, shapes[0], y); break;
            case OpCode.Softmax: model.Node("Softmax", y, x, OnnxAttribute.Of("axis", 1L)); break;
            case OpCode.LogSoftmax: model.Node("LogSoftmax", y, x, OnnxAttribute.Of("axis", 1L)); break;
            default:
                throw new NotSupportedException($"Node {entity} ({node.Op}) has no ONNX mapping; export the nodes before it (a network's output rather than its loss).");
        }
    }

    /// <summary>exp(−Σⱼ (W[j,u] − x[b,j])² / σ²): x reshaped to [batch × in × 1] (any batch) broadcasts against W [in × units].</summary>
    private void RadialBasis(Node node, string[] x, NodeShape input, string y)
    {
        string column = model.Node("Reshape", model.Fresh("x"), [x[0], model.Int64s(-1, input.Cols, 1)]);
        string difference = model.Node("Sub", model.Fresh("d"), [x[1], column]);
        string squared = model.Node("Mul", model.Fresh("d2"), [difference, difference]);
        string distance = model.Node("ReduceSum", model.Fresh("dist"), [squared, model.Int64s(1)], OnnxAttribute.Of("keepdims", 0L));
        string scaled = model.Node("Mul", model.Fresh("z"), [distance, model.Scalar(-1.0 / (node.Scalar * node.Scalar))]);
        model.Node("Exp", y, [scaled]);
    }
}
