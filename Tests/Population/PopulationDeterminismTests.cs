using EcsNeural.Ecs;
using EcsNeural.Systems.Optimizers;
using EcsNeural.Tests.Support;

namespace EcsNeural.Tests.Population;

/// <summary>Same seed, same inputs: bit-identical parameters after 1,000 training ticks with 1, 2 and 4 workers.</summary>
[Slow]
public class PopulationDeterminismTests
{
    private const int Agents = 300;   // five blocks of 64, the last one partial

    private static int[][] Train(int workers, int steps)
    {
        using var f = new PopulationFixture(instances: 0, workers, OptimizerOptions.Adam(0.003));
        Entity[] agents = [.. Enumerable.Range(0, Agents).Select(f.CreateAgent)];
        foreach (Entity agent in agents)
            f.Population.Bind(agent);
        for (int step = 0; step < steps; step++)
            f.Step();
        return [.. agents.Select(f.ParameterBits)];
    }

    [Test]
    public void ThousandStepsGiveTheSameBitsWithOneTwoAndFourWorkers()
    {
        int[][] one = Train(1, 1000), two = Train(2, 1000), four = Train(4, 1000);
        int[][] initial = Train(1, 0);

        Assert.That(one.Zip(initial).Count(p => !p.First.SequenceEqual(p.Second)), Is.EqualTo(Agents), "every agent's parameters moved");
        for (int a = 0; a < Agents; a++)
        {
            Assert.That(two[a], Is.EqualTo(one[a]), $"agent {a}, 2 workers");
            Assert.That(four[a], Is.EqualTo(one[a]), $"agent {a}, 4 workers");
        }
    }

    [Test]
    public void TrainingLowersEveryAgentsLoss()
    {
        using var f = new PopulationFixture(instances: 0, workers: 2, OptimizerOptions.Adam(0.003));
        foreach (Entity agent in Enumerable.Range(0, 100).Select(f.CreateAgent))
            f.Population.Bind(agent);
        f.Step();
        float[] first = f.Graph.AllValues(f.Graph.Loss).ToArray();
        for (int step = 0; step < 600; step++)
            f.Step();
        float[] late = new float[first.Length];
        for (int step = 0; step < 50; step++)   // average over steps: each step's sample is different
        {
            f.Step();
            float[] loss = f.Graph.AllValues(f.Graph.Loss).ToArray();
            for (int i = 0; i < late.Length; i++)
                late[i] += loss[i] / 50;
        }
        Assert.That(late.Average(), Is.LessThan(first.Average() * 0.5), "mean loss across agents at least halves");
    }
}
