using System.Numerics;
using System.Runtime.InteropServices;
using EcsNeural.Components;
using EcsNeural.Ecs;
using EcsNeural.Plugin.Building;
using EcsNeural.Systems.Graph;
using EcsNeural.Systems.Ops;

namespace EcsNeural.Plugin.Onnx;

/// <summary>
/// Exports one instance of a graph as a standalone ONNX model (opset 17, IR version 8) that Unity Sentis, ONNX Runtime
/// and other engines can run: the nodes the requested outputs depend on, parameters of that instance as initializers,
/// Input nodes as graph inputs with the graph's shapes. Inputs are named <c>input</c> (or <c>input0</c>, <c>input1</c>, …
/// in creation order), outputs <c>output</c> (or <c>output0</c>, …, in the order given).
/// </summary>
/// <remarks>
/// <para>
/// Batch: by default (<see cref="OnnxBatch.Auto"/>) the first dimension of the inputs and of the outputs computed from
/// them is the symbolic <c>batch</c>, so the model runs 1 or N samples whatever batch the graph was built with, when
/// every exported node treats rows as independent samples (Dense, element-wise ops and activations, row-wise
/// Softmax/LogSoftmax, Maxout, RadialBasis, Add/Sub/Mul/Div broadcasting a [1×n] row, …). A node that mixes rows (Sum,
/// Mean, SumRows, RepeatRows, MatMul over the batch, a parameter with the batch's rows, …) keeps the graph's batch and
/// the model's description names it; <see cref="OnnxBatch.Dynamic"/> then throws instead.
/// </para>
/// <para>
/// Mapped operations: Dense → Gemm; MatMul (and its transposed forms); Add, Sub, Mul, Div and their scalar forms;
/// Exp, Log, Sin, Cos, Square; Sum → ReduceSum, Mean → ReduceMean, Dot → Mul + ReduceSum; Relu, LeakyRelu, PRelu, AbsRelu → Abs, Maxout →
/// Reshape + ReduceMax, Sigmoid, Tanh, Softplus, HardTanh → Clip, RadialBasis → Reshape, Sub, Mul, ReduceSum, Mul, Exp;
/// Softmax, LogSoftmax; SumRows, SumCols, RepeatRows, RepeatCols → ReduceSum/Tile; Sign; Step → Greater + Where.
/// Losses and the symbolic-differentiation helpers without an ONNX counterpart throw <see cref="NotSupportedException"/>
/// naming the node and its operation.
/// </para>
/// </remarks>
public static class OnnxExporter
{
    /// <summary>Writes instance <paramref name="instance"/> of <paramref name="network"/> (its input and output) to <paramref name="path"/>.</summary>
    /// <param name="network">The network to export.</param>
    /// <param name="path">The .onnx file to write.</param>
    /// <param name="instance">Which instance's parameters to export.</param>
    /// <param name="batch">Whether the batch dimension is symbolic (see <see cref="OnnxBatch"/>); an MLP always can be.</param>
    public static void Export<T>(MlpNetwork<T> network, string path, int instance = 0, OnnxBatch batch = OnnxBatch.Auto) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(network);
        Export(network.Graph, path, [network.Output], instance, batch);
    }

    /// <summary>Writes instance <paramref name="instance"/> of <paramref name="graph"/>, computing <paramref name="outputs"/>, to <paramref name="path"/>.</summary>
    /// <param name="graph">The graph to export.</param>
    /// <param name="path">The .onnx file to write.</param>
    /// <param name="outputs">The nodes to compute, in the order of the model's outputs.</param>
    /// <param name="instance">Which instance's parameters to export.</param>
    /// <param name="batch">Whether the batch dimension is symbolic (see <see cref="OnnxBatch"/>).</param>
    /// <exception cref="NotSupportedException">A node has no ONNX mapping, or <see cref="OnnxBatch.Dynamic"/> was asked for and a node mixes rows; the message names the node.</exception>
    public static void Export<T>(ComputeGraph<T> graph, string path, ReadOnlySpan<Entity> outputs, int instance = 0, OnnxBatch batch = OnnxBatch.Auto)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        File.WriteAllBytes(path, ToBytes(graph, outputs, instance, batch));
    }

    /// <summary>The ONNX model bytes for instance <paramref name="instance"/> of <paramref name="graph"/> computing <paramref name="outputs"/>.</summary>
    /// <param name="graph">The graph to export.</param>
    /// <param name="outputs">The nodes to compute, in the order of the model's outputs.</param>
    /// <param name="instance">Which instance's parameters to export.</param>
    /// <param name="batch">Whether the batch dimension is symbolic (see <see cref="OnnxBatch"/>).</param>
    /// <exception cref="NotSupportedException">A node has no ONNX mapping, or <see cref="OnnxBatch.Dynamic"/> was asked for and a node mixes rows; the message names the node.</exception>
    public static byte[] ToBytes<T>(ComputeGraph<T> graph, ReadOnlySpan<Entity> outputs, int instance = 0, OnnxBatch batch = OnnxBatch.Auto)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(graph);
        if (outputs.IsEmpty)
            throw new ArgumentException("Name at least one output node to export.", nameof(outputs));
        if ((uint)instance >= (uint)graph.InstanceCount)
            throw new ArgumentOutOfRangeException(nameof(instance), instance, $"Instance {instance} does not exist; the graph has {graph.InstanceCount}.");
        graph.Complete();
        GraphTable table = GraphTable.Of(graph);
        var position = new Dictionary<Entity, int>();
        for (int n = 0; n < table.Nodes.Length; n++)
            position[table.Nodes[n]] = n;
        int[] outputNodes = new int[outputs.Length];
        for (int k = 0; k < outputs.Length; k++)
        {
            if (!position.TryGetValue(outputs[k], out outputNodes[k]))
                throw new ArgumentException($"Output {outputs[k]} is not a node of graph {graph.Id}.", nameof(outputs));
            if (Array.IndexOf(outputNodes, outputNodes[k], 0, k) >= 0)
                throw new ArgumentException($"Output {outputs[k]} is listed twice.", nameof(outputs));
        }
        bool[] needed = Ancestors(table, outputNodes);
        RowIndependence.Verdict rows = RowIndependence.Check(table, needed);
        if (batch == OnnxBatch.Dynamic && rows.Mixing is not null)
            throw new NotSupportedException($"Graph {graph.Id} cannot be exported with a dynamic batch: {rows.Mixing}. Export it with OnnxBatch.Fixed (or Auto) to keep its batch of {rows.Rows} rows.");
        bool dynamic = batch != OnnxBatch.Fixed && rows.Mixing is null;
        var names = new string[table.Nodes.Length];
        for (int n = 0; n < names.Length; n++)
            names[n] = $"n{n}";
        int inputCount = 0;
        for (int n = 0; n < names.Length; n++)
            inputCount += needed[n] && table.Records[n].Op == OpCode.Input ? 1 : 0;
        int inputIndex = 0;
        for (int n = 0; n < names.Length; n++)
        {
            if (needed[n] && table.Records[n].Op == OpCode.Input)
                names[n] = inputCount == 1 ? "input" : $"input{inputIndex++}";
        }
        var outputNames = new string[outputNodes.Length];
        for (int k = 0; k < outputNodes.Length; k++)
            outputNames[k] = outputNodes.Length == 1 ? "output" : $"output{k}";

        var model = new OnnxModelBuilder(typeof(T) == typeof(double) ? OnnxModelBuilder.ElementDouble : OnnxModelBuilder.ElementFloat);
        for (int n = 0; n < table.Nodes.Length; n++)
        {
            if (!needed[n])
                continue;
            NodeRecord record = table.Records[n];
            long[] dims = [record.Shape.Rows, record.Shape.Cols];
            int asOutput = Array.IndexOf(outputNodes, n);
            switch (record.Op)
            {
                case OpCode.Input:
                    model.Input(names[n], dims, dynamic);
                    break;
                case OpCode.Parameter:
                    model.Initializer(names[n], dims, MemoryMarshal.AsBytes<T>(graph.Values(table.Nodes[n], instance)));
                    break;
                default:
                    if (asOutput >= 0)
                        names[n] = outputNames[asOutput];
                    var inputs = new string[record.Inputs.Length];
                    var inputShapes = new NodeShape[record.Inputs.Length];
                    for (int k = 0; k < inputs.Length; k++)
                    {
                        inputs[k] = names[record.Inputs[k]];
                        inputShapes[k] = table.Records[record.Inputs[k]].Shape;
                    }
                    Entity entity = table.Nodes[n];
                    Node node = graph.World.Get<Node>(entity);
                    OnnxMapping mapping = Operations.Of(node.Op).Onnx ?? throw new NotSupportedException(
                        $"Node {entity} ({node.Op}) has no ONNX mapping; export the nodes before it (a network's output rather than its loss).");
                    mapping(model, node, inputs, inputShapes, names[n]);
                    break;
            }
            if (asOutput >= 0 && names[n] != outputNames[asOutput])
                model.Node("Identity", outputNames[asOutput], [names[n]]);   // a leaf exported as an output
            if (asOutput >= 0)
                model.Output(outputNames[asOutput], dims, dynamic && rows.PerSample[n]);
        }
        string description = dynamic ? $"Dynamic batch: the first dimension '{OnnxModelBuilder.BatchDimension}' of the inputs and outputs takes any number of samples."
            : rows.Mixing is null ? $"Fixed batch of {rows.Rows} rows, as asked."
            : $"Fixed batch of {rows.Rows} rows: {rows.Mixing}.";
        return model.ToModel($"ecsneural_graph{graph.Id}_instance{instance}", description);
    }

    private static bool[] Ancestors(GraphTable table, int[] outputs)
    {
        var needed = new bool[table.Nodes.Length];
        foreach (int o in outputs)
            needed[o] = true;
        for (int n = needed.Length - 1; n >= 0; n--)   // creation order is topological: inputs come first
        {
            if (!needed[n])
                continue;
            foreach (int input in table.Records[n].Inputs)
                needed[input] = true;
        }
        return needed;
    }
}
