using EcsNeural.Components;
using EcsNeural.Ecs;
using EcsNeural.Plugin;
using EcsNeural.Plugin.Building;
using EcsNeural.Plugin.Onnx;
using EcsNeural.Systems.Graph;
using EcsNeural.Systems.Ops;
using EcsNeural.Tests.Symbolic;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace EcsNeural.Tests.Plugin;

/// <summary>
/// Every op whose description has an ONNX mapping, and every activation, read from the registry: exported, run in
/// ONNX Runtime, equal to our values within 1e-5. An op added with a mapping is checked here without a test of its own.
/// </summary>
public class OnnxOpTests
{
    private const float Tolerance = 1e-5f;

    private static IEnumerable<TestCaseData> Exportable()
        => Operations.All.Where(d => d.Onnx is not null && d.Sample is not null).Select(d => new TestCaseData(d.Op).SetName($"{d.Op} exports"));

    private static IEnumerable<TestCaseData> Activations()
        => Operations.All.Where(d => d.Activation is not null).Select(d => new TestCaseData(d.Op).SetName($"{d.Op} as an Mlp unit exports"));

    [TestCaseSource(nameof(Exportable))]
    public void OpsSampleMatchesOnnxRuntime(OpCode op)
    {
        using var host = new PluginHost(new NeuralPluginOptions { Mode = PluginMode.Inference });
        ComputeGraph<float> graph = host.Module.Runtime.CreateGraph<float>(seed: 3);
        var nn = new GraphBuilder(graph);
        OpSample sample = Operations.Of(op).Sample!(3, 4, 2);
        Entity[] inputs = [.. sample.Operands.Select(o => nn.Input(o.Rows, o.Cols))];
        Entity output = nn.Op(sample.Node, inputs);
        using var session = new InferenceSession(OnnxExporter.ToBytes(graph, [output]));
        var random = new Random(17 + (int)op);
        var feeds = new List<NamedOnnxValue>();
        for (int k = 0; k < inputs.Length; k++)
        {
            SampleOperand o = sample.Operands[k];
            float[] x = [.. OpCases.Values(random, new Operand(o.Rows, o.Cols, o.Draw)).Select(v => (float)v)];
            graph.SetValues(inputs[k], 0, x);
            feeds.Add(NamedOnnxValue.CreateFromTensor(inputs.Length == 1 ? "input" : $"input{k}", new DenseTensor<float>(x, [o.Rows, o.Cols])));
        }

        host.Tick();
        using IDisposableReadOnlyCollection<DisposableNamedOnnxValue> results = session.Run(feeds);

        Assert.That(results.Single().AsEnumerable<float>().ToArray(), Is.EqualTo(graph.Values(output, 0).ToArray()).Within(Tolerance));
    }

    [TestCaseSource(nameof(Activations))]
    public void ActivationBuildsALayerThatMatchesOnnxRuntime(OpCode op)
    {
        using var host = new PluginHost(new NeuralPluginOptions { Mode = PluginMode.Inference });
        Node attributes = Operations.Of(op).Sample!(3, 4, 2).Node;
        Activation unit = Activation.Of(op, attributes.Pieces > 0 ? attributes.Pieces : attributes.Scalar);
        MlpNetwork<float> net = host.Module.CreateNetwork(Mlp.Input(4).Dense(5, unit), new NetworkOptions { Batch = 3, Seed = 8 });
        using var session = new InferenceSession(OnnxExporter.ToBytes(net.Graph, [net.Output]));
        float[] x = MlpBuilderTests.RandomValues(12, seed: 5);
        net.Graph.SetValues(net.Input, 0, x);

        host.Tick();
        using IDisposableReadOnlyCollection<DisposableNamedOnnxValue> results =
            session.Run([NamedOnnxValue.CreateFromTensor("input", new DenseTensor<float>(x, [3, 4]))]);

        Assert.That(unit.ToString(), Does.StartWith(op.ToString()));
        Assert.That(results.Single().AsEnumerable<float>().ToArray(), Is.EqualTo(net.Graph.Values(net.Output, 0).ToArray()).Within(Tolerance));
    }
}
