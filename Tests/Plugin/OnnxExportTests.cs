using EcsNeural.Components;
using EcsNeural.Ecs;
using EcsNeural.Plugin;
using EcsNeural.Plugin.Building;
using EcsNeural.Plugin.Onnx;
using EcsNeural.Systems.Graph;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace EcsNeural.Tests.Plugin;

/// <summary>Exported models run in ONNX Runtime and give our outputs within 1e-5 on random inputs.</summary>
public class OnnxExportTests
{
    private const float Tolerance = 1e-5f;

    private static IEnumerable<TestCaseData> Units()
    {
        yield return new TestCaseData(Activation.Relu, Activation.Identity).SetName("Relu then linear");
        yield return new TestCaseData(Activation.LeakyRelu(0.1), Activation.Sigmoid).SetName("LeakyRelu then Sigmoid");
        yield return new TestCaseData(Activation.PRelu(0.2), Activation.Tanh).SetName("PRelu then Tanh");
        yield return new TestCaseData(Activation.AbsRelu, Activation.Softplus).SetName("AbsRelu then Softplus");
        yield return new TestCaseData(Activation.Maxout(3), Activation.HardTanh).SetName("Maxout then HardTanh");
        yield return new TestCaseData(Activation.Sin, Activation.Softmax).SetName("Sin then Softmax");
        yield return new TestCaseData(Activation.Tanh, Activation.LogSoftmax).SetName("Tanh then LogSoftmax");
    }

    [TestCaseSource(nameof(Units))]
    public void ExportedMlpMatchesOnnxRuntime(Activation hidden, Activation output)
    {
        using var host = new PluginHost(new NeuralPluginOptions { Mode = PluginMode.Inference });
        MlpNetwork<float> net = host.Module.CreateNetwork(Mlp.Input(6).Dense(8, hidden).Dense(3, output),
            new NetworkOptions { Instances = 3, Batch = 4, Seed = 21 });
        PerturbParameters(net.Graph, seed: 5);   // so biases and PReLU slopes differ from their constant starts

        using var session = new InferenceSession(OnnxExporter.ToBytes(net.Graph, [net.Output], instance: 1));

        AssertSameOutputs(host, net.Graph, session, [net.Input], [net.Output], instance: 1);
    }

    [Test]
    public void DoubleNetworkExportsAsDoubleAndMatchesOnnxRuntime()
    {
        using var host = new PluginHost(new NeuralPluginOptions { Mode = PluginMode.Inference });
        MlpNetwork<double> net = Mlp.Input(5).Dense(7, Activation.Tanh).Dense(3, Activation.Softmax)
            .Build(host.Module.Runtime.CreateGraph<double>(seed: 6), batch: 2);
        using var session = new InferenceSession(OnnxExporter.ToBytes(net.Graph, [net.Output]));
        double[] x = MlpBuilderTests.RandomValues(10, seed: 3).Select(v => (double)v).ToArray();
        net.Graph.SetValues(net.Input, 0, x);

        host.Tick();
        using IDisposableReadOnlyCollection<DisposableNamedOnnxValue> results =
            session.Run([NamedOnnxValue.CreateFromTensor("input", new DenseTensor<double>(x, [2, 5]))]);

        Assert.That(results.Single().AsEnumerable<double>().ToArray(), Is.EqualTo(net.Graph.Values(net.Output, 0).ToArray()).Within(1e-12));
    }

    [Test]
    public void RadialBasisLayerMatchesOnnxRuntime()
    {
        using var host = new PluginHost(new NeuralPluginOptions { Mode = PluginMode.Inference });
        MlpNetwork<float> net = host.Module.CreateNetwork(Mlp.Input(4).RadialBasis(5, sigma: 1.5).Dense(2),
            new NetworkOptions { Batch = 3, Seed = 2 });

        using var session = new InferenceSession(OnnxExporter.ToBytes(net.Graph, [net.Output]));

        AssertSameOutputs(host, net.Graph, session, [net.Input], [net.Output], instance: 0);
    }

    [Test]
    public void GeneralDagWithTwoInputsAndTwoOutputsMatchesOnnxRuntime()
    {
        using var host = new PluginHost(new NeuralPluginOptions { Mode = PluginMode.Inference });
        ComputeGraph<float> graph = host.Module.Runtime.CreateGraph<float>(instances: 2, seed: 4);
        var nn = new GraphBuilder(graph);
        Entity a = nn.Input(3, 4), b = nn.Input(3, 4);
        Entity w = nn.Parameter(4, 4, ParameterInit.Normal(0.5)), row = nn.Parameter(1, 4, ParameterInit.Normal(1));
        Entity column = nn.Parameter(3, 1, ParameterInit.Normal(1));
        Entity shared = nn.Tanh(nn.Add(nn.MatMul(a, w), row));                       // used by both outputs
        Entity positive = nn.AddScalar(nn.Square(b), 1);
        Entity left = nn.Mul(nn.Sub(shared, column), nn.Log(positive));
        Entity right = nn.Div(nn.Cos(nn.Scale(shared, 0.5)), nn.Exp(nn.DivScalar(b, 4)));
        Entity products = nn.MatMulTransposeB(left, right);                          // [3×3]
        Entity mixed = nn.Add(products, nn.RepeatRows(nn.SumRows(products), 3));
        Entity gated = nn.Mul(nn.Step(mixed, 0.25), nn.Sign(nn.RepeatCols(nn.SumCols(products), 3)));
        Entity out1 = nn.Add(nn.MatMulTransposeA(left, right), nn.Add(nn.Mean(gated), nn.Dot(left, right)));   // [4×4] plus scalars
        Entity out2 = nn.Add(nn.Softplus(shared), nn.Sum(right));

        using var session = new InferenceSession(OnnxExporter.ToBytes(graph, [out1, out2], instance: 1));

        AssertSameOutputs(host, graph, session, [a, b], [out1, out2], instance: 1);
    }

    [Test]
    public void ExportWritesAFileOnnxRuntimeLoads()
    {
        using var host = new PluginHost(new NeuralPluginOptions { Mode = PluginMode.Inference });
        MlpNetwork<float> net = host.Module.CreateNetwork(Mlp.Input(18).Dense(32, Activation.Tanh).Dense(2, Activation.Tanh));
        string path = Path.Combine(Path.GetTempPath(), $"ecsneural-{Guid.NewGuid():N}.onnx");
        try
        {
            OnnxExporter.Export(net, path);
            using var session = new InferenceSession(path);
            Assert.That(session.InputMetadata.Keys, Is.EqualTo(new[] { "input" }));
            Assert.That(session.OutputMetadata["output"].Dimensions, Is.EqualTo(new[] { -1, 2 }));   // a dynamic batch
            AssertSameOutputs(host, net.Graph, session, [net.Input], [net.Output], instance: 0);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Test]
    public void OperationOnnxCannotExpressIsNamed()
    {
        using var host = new PluginHost();
        MlpNetwork<float> net = host.Module.CreateNetwork(Mlp.Input(2).Dense(2), new NetworkOptions { Loss = OutputLoss.MeanSquaredError });

        var ex = Assert.Throws<NotSupportedException>(() => OnnxExporter.ToBytes(net.Graph, [net.Loss]));

        Assert.That(ex!.Message, Does.Contain(net.Loss.ToString()).And.Contain("MseLoss"));
    }

    private static void AssertSameOutputs(PluginHost host, ComputeGraph<float> graph, InferenceSession session,
        Entity[] inputs, Entity[] outputs, int instance)
    {
        for (int trial = 0; trial < 5; trial++)
        {
            var feeds = new List<NamedOnnxValue>();
            for (int k = 0; k < inputs.Length; k++)
            {
                NodeShape shape = graph.ShapeOf(inputs[k]);
                float[] x = MlpBuilderTests.RandomValues(shape.Length, seed: 1000 * trial + k).Select(v => v * 2).ToArray();
                graph.SetValues(inputs[k], instance, x);
                string name = inputs.Length == 1 ? "input" : $"input{k}";
                feeds.Add(NamedOnnxValue.CreateFromTensor(name, new DenseTensor<float>(x, [shape.Rows, shape.Cols])));
            }
            host.Tick();
            using IDisposableReadOnlyCollection<DisposableNamedOnnxValue> results = session.Run(feeds);
            for (int k = 0; k < outputs.Length; k++)
            {
                string name = outputs.Length == 1 ? "output" : $"output{k}";
                float[] theirs = results.Single(r => r.Name == name).AsEnumerable<float>().ToArray();
                float[] ours = graph.Values(outputs[k], instance).ToArray();
                Assert.That(theirs, Is.EqualTo(ours).Within(Tolerance), $"{name}, trial {trial}");
            }
        }
    }

    internal static void PerturbParameters(ComputeGraph<float> graph, int seed)
    {
        var random = new Random(seed);
        graph.Compile();
        foreach (Entity node in AllParameters(graph))
        {
            Span<float> values = graph.AllValues(node);
            for (int i = 0; i < values.Length; i++)
                values[i] += (float)(random.NextDouble() - 0.5) * 0.2f;
        }
    }

    private static IEnumerable<Entity> AllParameters(ComputeGraph<float> graph)
    {
        var found = new List<Entity>();
        graph.World.Query(new QueryDescription().WithAll<Trainable, GraphMember>(), (Entity e, ref GraphMember m) =>
        {
            if (m.GraphId == graph.Id)
                found.Add(e);
        });
        return found;
    }
}
