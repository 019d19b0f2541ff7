using EcsNeural.Demo.Arena;
using EcsNeural.Demo.Brains;
using EcsNeural.Ecs.Jobs;
using EcsNeural.Tests.Support;

namespace EcsNeural.Tests.Demo;

/// <summary>The brains' one-pass act-and-learn is exactly Act then Learn: same actions, activations and parameters, bit for bit.</summary>
public class BrainPopulationTests
{
    [Slow]
    [Test]
    public void ActAndLearnGivesTheBitsOfActThenLearn([Values(1, 2)] int workers)
    {
        var config = new ArenaConfig { Agents = 70, Seed = 4 };
        using var jobs = new JobScheduler(workers);
        using IBrainPopulation separate = BrainFactory.Create(config, jobs), fused = BrainFactory.Create(config, jobs);
        var random = new Random(9);
        int inputs = separate.LayerSizes[0], outputs = separate.LayerSizes[^1];
        var observations = new float[config.Agents * inputs];
        var targets = new float[config.Agents * outputs];
        float[] actsSeparately = new float[targets.Length], actsFused = new float[targets.Length];
        for (int tick = 0; tick < 30; tick++)
        {
            for (int i = 0; i < observations.Length; i++) observations[i] = (float)random.NextDouble();
            for (int i = 0; i < targets.Length; i++) targets[i] = (float)(2 * random.NextDouble() - 1);

            separate.Act(observations, actsSeparately);
            float lossSeparately = separate.Learn(targets);
            float lossFused = fused.ActAndLearn(observations, targets, actsFused);

            Assert.That(actsFused, Is.EqualTo(actsSeparately), $"tick {tick}: actions");
            Assert.That(lossFused, Is.EqualTo(lossSeparately), $"tick {tick}: loss");
            for (int layer = 0; layer < separate.LayerSizes.Count; layer++)
                Assert.That(fused.Activations(layer).ToArray(), Is.EqualTo(separate.Activations(layer).ToArray()), $"tick {tick}: layer {layer}");
        }
        Assert.That(fused.ParameterChecksum(), Is.EqualTo(separate.ParameterChecksum()));
        Assert.That(actsFused.Distinct().Count(), Is.GreaterThan(10), "the networks learned something to act on");
    }
}
