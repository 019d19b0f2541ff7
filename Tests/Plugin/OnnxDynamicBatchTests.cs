using EcsNeural.Components;
using EcsNeural.Ecs;
using EcsNeural.Plugin;
using EcsNeural.Plugin.Building;
using EcsNeural.Plugin.Onnx;
using EcsNeural.Systems.Graph;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace EcsNeural.Tests.Plugin;

/// <summary>
/// Exports whose rows are independent samples declare a symbolic batch and run 1 or N samples in ONNX Runtime, row r
/// matching our forward pass on the same input row; exports with a row-mixing node keep the graph's batch.
/// </summary>
public class OnnxDynamicBatchTests
{
    private const int GraphBatch = 4;

    private static IEnumerable<TestCaseData> Units()
    {
        yield return new TestCaseData(Activation.Relu, Activation.Identity).SetName("Dynamic batch: Relu then linear");
        yield return new TestCaseData(Activation.PRelu(0.2), Activation.Softmax).SetName("Dynamic batch: PRelu then Softmax");
        yield return new TestCaseData(Activation.Tanh, Activation.LogSoftmax).SetName("Dynamic batch: Tanh then LogSoftmax");
        yield return new TestCaseData(Activation.Maxout(3), Activation.Sigmoid).SetName("Dynamic batch: Maxout then Sigmoid");
    }

    [TestCaseSource(nameof(Units))]
    public void MlpRunsOneOrManySamples(Activation hidden, Activation output)
    {
        using var host = new PluginHost(new NeuralPluginOptions { Mode = PluginMode.Inference });
        MlpNetwork<float> net = host.Module.CreateNetwork(Mlp.Input(6).Dense(8, hidden).Dense(3, output),
            new NetworkOptions { Instances = 2, Batch = GraphBatch, Seed = 13 });
        OnnxExportTests.PerturbParameters(net.Graph, seed: 8);

        using var session = new InferenceSession(OnnxExporter.ToBytes(net.Graph, [net.Output], instance: 1));

        AssertDeclaredBatch(session.InputMetadata["input"], 6);
        AssertDeclaredBatch(session.OutputMetadata["output"], 3);
        foreach (int samples in new[] { 1, 7, GraphBatch })
            AssertRowsMatch(host, net.Graph, session, net.Input, net.Output, instance: 1, samples);
    }

    [Test]
    public void RadialBasisLayerRunsOneOrManySamples()
    {
        using var host = new PluginHost(new NeuralPluginOptions { Mode = PluginMode.Inference });
        MlpNetwork<float> net = host.Module.CreateNetwork(Mlp.Input(4).RadialBasis(5, sigma: 1.5).Dense(2),
            new NetworkOptions { Batch = 3, Seed = 2 });

        using var session = new InferenceSession(OnnxExporter.ToBytes(net.Graph, [net.Output], batch: OnnxBatch.Dynamic));

        AssertDeclaredBatch(session.InputMetadata["input"], 4);
        foreach (int samples in new[] { 1, 7, 3 })
            AssertRowsMatch(host, net.Graph, session, net.Input, net.Output, instance: 0, samples);
    }

    [Test]
    public void DoubleMlpRunsOneOrManySamples()
    {
        using var host = new PluginHost(new NeuralPluginOptions { Mode = PluginMode.Inference });
        MlpNetwork<double> net = Mlp.Input(5).Dense(7, Activation.Tanh).Dense(3, Activation.Softmax)
            .Build(host.Module.Runtime.CreateGraph<double>(seed: 6), batch: 2);
        using var session = new InferenceSession(OnnxExporter.ToBytes(net.Graph, [net.Output]));

        foreach (int samples in new[] { 1, 7 })
        {
            double[] x = Samples(samples, 5, seed: samples).Select(v => (double)v).ToArray();
            using IDisposableReadOnlyCollection<DisposableNamedOnnxValue> results =
                session.Run([NamedOnnxValue.CreateFromTensor("input", new DenseTensor<double>(x, [samples, 5]))]);
            double[] theirs = results.Single().AsEnumerable<double>().ToArray();
            double[] ours = RowByRow(host, net.Graph, net.Input, net.Output, 0, x, samples);
            Assert.That(theirs, Is.EqualTo(ours).Within(1e-12), $"{samples} samples");
        }
    }

    [Test]
    public void FixedBatchIsKeptWhenAsked()
    {
        using var host = new PluginHost(new NeuralPluginOptions { Mode = PluginMode.Inference });
        MlpNetwork<float> net = host.Module.CreateNetwork(Mlp.Input(6).Dense(3, Activation.Tanh), new NetworkOptions { Batch = GraphBatch });

        using var session = new InferenceSession(OnnxExporter.ToBytes(net.Graph, [net.Output], batch: OnnxBatch.Fixed));

        Assert.That(session.InputMetadata["input"].Dimensions, Is.EqualTo(new[] { GraphBatch, 6 }));
        Assert.That(session.OutputMetadata["output"].Dimensions, Is.EqualTo(new[] { GraphBatch, 3 }));
        AssertRowsMatch(host, net.Graph, session, net.Input, net.Output, instance: 0, GraphBatch);
    }

    [Test]
    public void RowMixingNodeKeepsTheGraphBatchAndRefusesADynamicOne()
    {
        using var host = new PluginHost(new NeuralPluginOptions { Mode = PluginMode.Inference });
        ComputeGraph<float> graph = host.Module.Runtime.CreateGraph<float>(seed: 3);
        var nn = new GraphBuilder(graph);
        Entity x = nn.Input(GraphBatch, 3);
        Entity h = nn.Tanh(nn.Dense(x, nn.Parameter(3, 5, ParameterInit.Normal(0.5)), nn.Parameter(1, 5, ParameterInit.Normal(0.5))));
        Entity total = nn.SumRows(h);                                                   // mixes the samples
        Entity centered = nn.Sub(h, nn.RepeatRows(nn.DivScalar(total, GraphBatch), GraphBatch));

        using var session = new InferenceSession(OnnxExporter.ToBytes(graph, [centered]));
        var ex = Assert.Throws<NotSupportedException>(() => OnnxExporter.ToBytes(graph, [centered], batch: OnnxBatch.Dynamic));

        Assert.That(session.InputMetadata["input"].Dimensions, Is.EqualTo(new[] { GraphBatch, 3 }));
        Assert.That(session.InputMetadata["input"].SymbolicDimensions, Has.All.Empty);
        Assert.That(session.OutputMetadata["output"].Dimensions, Is.EqualTo(new[] { GraphBatch, 5 }));
        Assert.That(session.ModelMetadata.Description, Does.Contain(total.ToString()).And.Contain("SumRows"));
        Assert.That(ex!.Message, Does.Contain(total.ToString()).And.Contain("SumRows").And.Contain("dynamic batch"));
        AssertRowsMatch(host, graph, session, x, centered, instance: 0, GraphBatch);
    }

    [Test]
    public void ParameterWithTheBatchRowsKeepsTheGraphBatch()
    {
        using var host = new PluginHost(new NeuralPluginOptions { Mode = PluginMode.Inference });
        ComputeGraph<float> graph = host.Module.Runtime.CreateGraph<float>(seed: 5);
        var nn = new GraphBuilder(graph);
        Entity x = nn.Input(GraphBatch, 2);
        Entity perRow = nn.Parameter(GraphBatch, 2, ParameterInit.Normal(1));        // one value per batch row: not a sample
        Entity sum = nn.Add(nn.Relu(x), perRow);

        using var session = new InferenceSession(OnnxExporter.ToBytes(graph, [sum]));
        var ex = Assert.Throws<NotSupportedException>(() => OnnxExporter.ToBytes(graph, [sum], batch: OnnxBatch.Dynamic));

        Assert.That(session.InputMetadata["input"].Dimensions, Is.EqualTo(new[] { GraphBatch, 2 }));
        Assert.That(ex!.Message, Does.Contain(sum.ToString()).And.Contain("Add").And.Contain(perRow.ToString()));
    }

    [Test]
    public void OutputComputedFromParametersAloneKeepsItsShape()
    {
        using var host = new PluginHost(new NeuralPluginOptions { Mode = PluginMode.Inference });
        ComputeGraph<float> graph = host.Module.Runtime.CreateGraph<float>(seed: 7);
        var nn = new GraphBuilder(graph);
        Entity x = nn.Input(GraphBatch, 2);
        Entity w = nn.Parameter(2, 3, ParameterInit.Normal(1));
        Entity y = nn.MatMul(x, w), penalty = nn.Sum(nn.Square(w));                  // a reduction over weights mixes no samples

        using var session = new InferenceSession(OnnxExporter.ToBytes(graph, [y, penalty], batch: OnnxBatch.Dynamic));

        AssertDeclaredBatch(session.OutputMetadata["output0"], 3);
        Assert.That(session.OutputMetadata["output1"].Dimensions, Is.EqualTo(new[] { 1, 1 }));
        foreach (int samples in new[] { 1, 7 })
            AssertRowsMatch(host, graph, session, x, y, instance: 0, samples, outputName: "output0");
    }

    private static void AssertDeclaredBatch(NodeMetadata metadata, int features)
    {
        Assert.That(metadata.Dimensions, Is.EqualTo(new[] { -1, features }));
        Assert.That(metadata.SymbolicDimensions[0], Is.EqualTo("batch"));
    }

    /// <summary>Runs <paramref name="samples"/> random rows through ONNX Runtime and through our graph, a batch at a time.</summary>
    private static void AssertRowsMatch(PluginHost host, ComputeGraph<float> graph, InferenceSession session, Entity input, Entity output,
        int instance, int samples, string outputName = "output")
    {
        int features = graph.ShapeOf(input).Cols;
        float[] x = Samples(samples, features, seed: 100 + samples);
        using IDisposableReadOnlyCollection<DisposableNamedOnnxValue> results =
            session.Run([NamedOnnxValue.CreateFromTensor("input", new DenseTensor<float>(x, [samples, features]))]);

        float[] theirs = results.Single(r => r.Name == outputName).AsEnumerable<float>().ToArray();
        float[] ours = RowByRow(host, graph, input, output, instance, x, samples);

        Assert.That(theirs, Is.EqualTo(ours).Within(1e-5f), $"{samples} samples");
    }

    /// <summary>
    /// Our outputs for <paramref name="samples"/> input rows: the rows go through the graph a batch at a time (the last
    /// batch padded with copies of row 0, whose outputs are dropped); rows are independent, so row r is the sample's.
    /// </summary>
    private static T[] RowByRow<T>(PluginHost host, ComputeGraph<T> graph, Entity input, Entity output, int instance, T[] x, int samples)
        where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        NodeShape inShape = graph.ShapeOf(input), outShape = graph.ShapeOf(output);
        var ours = new T[samples * outShape.Cols];
        var batch = new T[inShape.Length];
        for (int first = 0; first < samples; first += inShape.Rows)
        {
            int rows = Math.Min(inShape.Rows, samples - first);
            for (int r = 0; r < inShape.Rows; r++)
                x.AsSpan((r < rows ? first + r : 0) * inShape.Cols, inShape.Cols).CopyTo(batch.AsSpan(r * inShape.Cols));
            graph.SetValues(input, instance, batch);
            host.Tick();
            graph.Values(output, instance)[..(rows * outShape.Cols)].CopyTo(ours.AsSpan(first * outShape.Cols));
        }
        return ours;
    }

    private static float[] Samples(int samples, int features, int seed)
        => MlpBuilderTests.RandomValues(samples * features, seed).Select(v => v * 2).ToArray();
}
