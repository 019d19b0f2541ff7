using EcsNeural.Plugin;
using EcsNeural.Plugin.Building;
using EcsNeural.Plugin.Checkpoints;
using EcsNeural.Systems.Graph;

namespace EcsNeural.Tests.Plugin;

/// <summary>A network trained on one batch loads into the same network built for another batch only when asked to.</summary>
public class CheckpointBatchTests
{
    [Test]
    public void AnyBatchLoadsParametersIntoANetworkBuiltForOneSample()
    {
        string path = Path.Combine(TestContext.CurrentContext.WorkDirectory, $"batch-{Guid.NewGuid():N}.ckpt");
        Mlp architecture = Mlp.Input(3).Dense(5, Activation.Tanh).Dense(2);
        using var trainedHost = new PluginHost();
        MlpNetwork<float> trained = trainedHost.Module.CreateNetwork(architecture, new NetworkOptions { Batch = 16, Seed = 3 });
        Checkpoint.Save(trained.Graph, path);
        using var deployedHost = new PluginHost();
        MlpNetwork<float> deployed = deployedHost.Module.CreateNetwork(architecture, new NetworkOptions { Batch = 1, Seed = 4 });

        Assert.That(() => Checkpoint.Load(deployed.Graph, path), Throws.TypeOf<CheckpointException>().With.Message.Contains("16×3"));
        Checkpoint.Load(deployed.Graph, path, CheckpointBatch.Any);

        foreach ((DenseLayer a, DenseLayer b) in trained.Layers.Zip(deployed.Layers))
        {
            Assert.That(deployed.Graph.Values(b.Weights, 0).ToArray(), Is.EqualTo(trained.Graph.Values(a.Weights, 0).ToArray()));
            Assert.That(deployed.Graph.Values(b.Bias, 0).ToArray(), Is.EqualTo(trained.Graph.Values(a.Bias, 0).ToArray()));
        }
        File.Delete(path);
    }
}
