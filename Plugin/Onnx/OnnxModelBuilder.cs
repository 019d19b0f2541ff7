using System.Runtime.InteropServices;
using EcsNeural.Systems.Ops;

namespace EcsNeural.Plugin.Onnx;

/// <summary>
/// Collects an ONNX graph (nodes, initializers, inputs, outputs) and writes the ModelProto, opset 17, IR version 8.
/// Field numbers are those of onnx.proto: ModelProto ir_version 1, producer_name 2, producer_version 3, graph 7,
/// doc_string 6, opset_import 8 (OperatorSetIdProto domain 1, version 2); GraphProto node 1, name 2, initializer 5, input 11,
/// output 12; NodeProto input 1, output 2, name 3, op_type 4, attribute 5; AttributeProto name 1, f 2, i 3, ints 8,
/// type 20 (FLOAT 1, INT 2, INTS 7); TensorProto dims 1, data_type 2, name 8, raw_data 9 (FLOAT 1, INT64 7, DOUBLE 11);
/// ValueInfoProto name 1, type 2; TypeProto tensor_type 1; TypeProto.Tensor elem_type 1, shape 2;
/// TensorShapeProto dim 1; Dimension dim_value 1, dim_param 2.
/// </summary>
internal sealed class OnnxModelBuilder(int elementType) : IOnnxGraph
{
    public const int ElementFloat = 1, ElementInt64 = 7, ElementDouble = 11;

    /// <summary>The symbolic name of a dynamic first dimension.</summary>
    public const string BatchDimension = "batch";
    private const int IrVersion = 8, Opset = 17;

    private readonly List<Action<ProtoWriter>> _nodes = [];
    private readonly List<Action<ProtoWriter>> _initializers = [];
    private readonly List<Action<ProtoWriter>> _inputs = [];
    private readonly List<Action<ProtoWriter>> _outputs = [];
    private int _nextName;

    /// <summary>A fresh intermediate value name.</summary>
    public string Fresh(string hint) => $"{hint}_{_nextName++}";

    /// <summary>A graph input; with <paramref name="dynamicRows"/> its first dimension is <see cref="BatchDimension"/>.</summary>
    public void Input(string name, long[] dims, bool dynamicRows) => _inputs.Add(w => ValueInfo(w, name, elementType, dims, dynamicRows));

    /// <summary>A graph output; with <paramref name="dynamicRows"/> its first dimension is <see cref="BatchDimension"/>.</summary>
    public void Output(string name, long[] dims, bool dynamicRows) => _outputs.Add(w => ValueInfo(w, name, elementType, dims, dynamicRows));

    /// <summary>An initializer of the model's element type from raw little-endian bytes.</summary>
    public string Initializer(string name, long[] dims, ReadOnlySpan<byte> raw) => Tensor(name, dims, elementType, raw.ToArray());

    /// <summary>A 0-d constant of the model's element type.</summary>
    public string Scalar(double value)
    {
        byte[] raw = elementType == ElementDouble ? BitConverter.GetBytes(value) : BitConverter.GetBytes((float)value);
        return Tensor(Fresh("const"), [], elementType, raw);
    }

    /// <summary>A 1-d int64 constant (shapes, axes, repeats).</summary>
    public string Int64s(params long[] values) => Tensor(Fresh("ints"), [values.Length], ElementInt64, MemoryMarshal.AsBytes(values.AsSpan()).ToArray());

    /// <summary>A node of operator <paramref name="opType"/>; returns <paramref name="output"/>.</summary>
    public string Node(string opType, string output, string[] inputs, params OnnxAttribute[] attributes)
    {
        string name = Fresh(opType);
        _nodes.Add(w =>
        {
            foreach (string input in inputs)
                w.String(1, input);
            w.String(2, output);
            w.String(3, name);
            w.String(4, opType);
            foreach (OnnxAttribute attribute in attributes)
                w.Message(5, a => Write(a, attribute));
        });
        return output;
    }

    /// <summary>The ModelProto bytes; <paramref name="description"/> becomes its doc_string.</summary>
    public byte[] ToModel(string graphName, string description)
    {
        var model = new ProtoWriter()
            .Varint(1, IrVersion)
            .String(2, "EcsNeural")
            .String(3, "0.1.0")
            .String(6, description)
            .Message(7, g =>
            {
                foreach (Action<ProtoWriter> node in _nodes)
                    g.Message(1, node);
                g.String(2, graphName);
                foreach (Action<ProtoWriter> initializer in _initializers)
                    g.Message(5, initializer);
                foreach (Action<ProtoWriter> input in _inputs)
                    g.Message(11, input);
                foreach (Action<ProtoWriter> output in _outputs)
                    g.Message(12, output);
            })
            .Message(8, opset => opset.String(1, "").Varint(2, Opset));
        return model.WrittenSpan.ToArray();
    }

    private string Tensor(string name, long[] dims, int dataType, byte[] raw)
    {
        _initializers.Add(w =>
        {
            foreach (long dim in dims)
                w.Varint(1, dim);
            w.Varint(2, dataType);
            w.String(8, name);
            w.Bytes(9, raw);
        });
        return name;
    }

    private static void ValueInfo(ProtoWriter w, string name, int elementType, long[] dims, bool dynamicRows)
        => w.String(1, name).Message(2, type => type.Message(1, tensor => tensor
            .Varint(1, elementType)
            .Message(2, shape =>
            {
                for (int k = 0; k < dims.Length; k++)
                {
                    long dim = dims[k];
                    bool symbolic = k == 0 && dynamicRows;
                    shape.Message(1, d =>
                    {
                        if (symbolic)
                            d.String(2, BatchDimension);
                        else
                            d.Varint(1, dim);
                    });
                }
            })));

    /// <summary>An AttributeProto.</summary>
    private static void Write(ProtoWriter w, OnnxAttribute attribute)
    {
        w.String(1, attribute.Name);
        switch (attribute.Type)
        {
            case 1:
                w.Float(2, attribute.Float);
                break;
            case 2:
                w.Varint(3, attribute.Int);
                break;
            default:
                foreach (long value in attribute.Ints!)
                    w.Varint(8, value);
                break;
        }
        w.Varint(20, attribute.Type);
    }
}
