using EcsNeural.Plugin;
using EcsNeural.Plugin.Building;

namespace EcsNeural.Tests.Plugin;

/// <summary>The inference-only mode for shipping a trained model: forward only, no gradient or optimizer storage.</summary>
public class InferenceOnlyTests
{
    private static readonly Mlp Controller = Mlp.Input(4).Dense(8, Activation.Relu).Dense(2, Activation.Tanh);

    [Test]
    public void InferenceNetworkKeepsNoGradientsAndComputesWhatTheTrainingNetworkComputes()
    {
        using var training = new PluginHost();
        using var shipping = new PluginHost(new NeuralPluginOptions { Mode = PluginMode.Inference });
        var options = new NetworkOptions { Instances = 3, Seed = 9, Loss = OutputLoss.MeanSquaredError };
        MlpNetwork<float> trained = training.Module.CreateNetwork(Controller, options with { Loss = OutputLoss.None });
        MlpNetwork<float> shipped = shipping.Module.CreateNetwork(Controller, options);
        float[] x = MlpBuilderTests.RandomValues(4, seed: 4);
        for (int i = 0; i < 3; i++)
        {
            trained.Graph.SetValues(trained.Input, i, x);
            shipped.Graph.SetValues(shipped.Input, i, x);
        }
        float[] weightsBefore = shipped.Graph.AllValues(shipped.Layers[0].Weights).ToArray();

        training.Tick();
        for (int frame = 0; frame < 3; frame++)
            shipping.Tick();

        Assert.That(shipped.Graph.InferenceOnly);
        Assert.That(shipped.Graph.TrainingEnabled, Is.False);
        Assert.That(shipped.Graph.AllValues(shipped.Output).ToArray(), Is.EqualTo(trained.Graph.AllValues(trained.Output).ToArray()));
        Assert.That(shipped.Graph.AllValues(shipped.Layers[0].Weights).ToArray(), Is.EqualTo(weightsBefore), "nothing learns");
        var ex = Assert.Throws<InvalidOperationException>(() => shipped.Graph.Gradients(shipped.Layers[0].Weights, 0));
        Assert.That(ex!.Message, Does.Contain("inference-only"));
        Assert.Throws<InvalidOperationException>(() => shipped.Graph.OptimizerState(shipped.Layers[0].Weights, 0, 0));
    }
}
