using EcsNeural.Components;

namespace EcsNeural.Systems.Ops;

/// <summary>An ONNX node attribute (AttributeProto) as data: a float, an int or a list of ints.</summary>
/// <param name="Name">The attribute's name.</param>
/// <param name="Type">ONNX's AttributeType: 1 float, 2 int, 7 ints.</param>
/// <param name="Float">The float value (type 1).</param>
/// <param name="Int">The int value (type 2).</param>
/// <param name="Ints">The int values (type 7).</param>
public readonly record struct OnnxAttribute(string Name, int Type, float Float, long Int, long[]? Ints)
{
    /// <summary>A float attribute.</summary>
    public static OnnxAttribute Of(string name, float value) => new(name, 1, value, 0, null);

    /// <summary>An int attribute.</summary>
    public static OnnxAttribute Of(string name, long value) => new(name, 2, 0, value, null);

    /// <summary>An ints attribute.</summary>
    public static OnnxAttribute Of(string name, long[] values) => new(name, 7, 0, 0, values);
}

/// <summary>
/// The ONNX graph an op's <see cref="OnnxMapping"/> writes into (the Plugin's exporter implements it), so an op's file
/// can say which ONNX nodes compute it without the engine referencing the exporter.
/// </summary>
public interface IOnnxGraph
{
    /// <summary>A new value name starting with <paramref name="hint"/>.</summary>
    string Fresh(string hint);

    /// <summary>A 0-d constant of the model's element type; returns its name.</summary>
    string Scalar(double value);

    /// <summary>A 1-d int64 constant (shapes, axes, repeats); returns its name.</summary>
    string Int64s(params long[] values);

    /// <summary>A node of operator <paramref name="opType"/> writing <paramref name="output"/>; returns <paramref name="output"/>.</summary>
    string Node(string opType, string output, string[] inputs, params OnnxAttribute[] attributes);
}

/// <summary>
/// Writes the ONNX nodes computing one node of this op: <paramref name="x"/> are its inputs' value names,
/// <paramref name="shapes"/> their per-instance shapes, <paramref name="y"/> the name the result must have. No mapping
/// may bake in the number of rows (Reshape targets use −1, Tile repeats columns or the node's own count), so a model
/// whose rows are independent samples runs any batch.
/// </summary>
public delegate void OnnxMapping(IOnnxGraph onnx, Node node, string[] x, NodeShape[] shapes, string y);
