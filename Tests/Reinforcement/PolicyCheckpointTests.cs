using EcsNeural.Components.Agents;
using EcsNeural.Plugin;
using EcsNeural.Plugin.Building;
using EcsNeural.Plugin.Checkpoints;
using EcsNeural.Systems;
using EcsNeural.Systems.Kernels;
using EcsNeural.Systems.Optimizers;
using EcsNeural.Systems.Reinforcement;

namespace EcsNeural.Tests.Reinforcement;

/// <summary>A policy saved with Checkpoint and loaded into a fresh module acts exactly as it did, statistics included.</summary>
public class PolicyCheckpointTests
{
    private static readonly Mlp Hidden = Mlp.Input(1).Dense(16, Activation.Tanh);
    private static PpoOptions Options(int capacity) => new() { Seed = 5, RolloutTicks = 32, Capacity = capacity, Optimizer = OptimizerOptions.Adam(1e-3) };

    [Test]
    public void ALoadedPolicyActsLikeTheSavedOneForTrainingAndForInference()
    {
        string path = Path.Combine(TestContext.CurrentContext.WorkDirectory, $"policy-{Guid.NewGuid():N}.ckpt");
        using (var trained = new PolicyHost<MoveToGoal>(w => new MoveToGoal(w), Hidden, ActionSpace.Continuous(1), Options(64)))
        {
            for (int a = 0; a < 64; a++)
                trained.Policy.Bind(trained.Environment.Spawn());
            for (int tick = 0; tick < 400; tick++)
                trained.Tick();
            Checkpoint.Save(trained.Policy, path);
            (float[] expected, double count, double mean) = Greedy(trained.Policy);

            foreach (PluginMode mode in new[] { PluginMode.Training, PluginMode.Inference })
            {
                // Any capacity: the acting rows differ from the saved learning graph's minibatch rows.
                using var loaded = new PolicyHost<MoveToGoal>(w => new MoveToGoal(w), Hidden, ActionSpace.Continuous(1), Options(8), mode: mode);
                Checkpoint.Load(loaded.Policy, path);
                (float[] actual, double loadedCount, double loadedMean) = Greedy(loaded.Policy);
                Assert.That(actual, Is.EqualTo(expected), $"{mode}: the same actions for the same observations");
                Assert.That((loadedCount, loadedMean), Is.EqualTo((count, mean)).Within(1e-6 * count), $"{mode}: the same observation statistics");
                Assert.That(loaded.Policy.Learns, Is.EqualTo(mode == PluginMode.Training));
            }
        }
        File.Delete(path);
    }

    [Test]
    public void APortablePolicyCheckpointMakesBothOfTheLoadedPolicysGraphsPortable()
    {
        string path = Path.Combine(TestContext.CurrentContext.WorkDirectory, $"policy-{Guid.NewGuid():N}.ckpt");
        using (var portable = new PolicyHost<MoveToGoal>(w => new MoveToGoal(w), Hidden, ActionSpace.Continuous(1), Options(8), numerics: NumericsMode.Portable))
        {
            Assert.That((portable.Policy.ActingGraph.Numerics, portable.Policy.TrainingGraph!.Numerics), Is.EqualTo((NumericsMode.Portable, NumericsMode.Portable)));
            Checkpoint.Save(portable.Policy, path);
        }
        using var loaded = new PolicyHost<MoveToGoal>(w => new MoveToGoal(w), Hidden, ActionSpace.Continuous(1), Options(8));
        Checkpoint.Load(loaded.Policy, path);
        Assert.That((loaded.Policy.ActingGraph.Numerics, loaded.Policy.TrainingGraph!.Numerics), Is.EqualTo((NumericsMode.Portable, NumericsMode.Portable)));
        File.Delete(path);
    }

    [Test]
    public void ACheckpointOfAnotherArchitectureIsRefusedAndChangesNothing()
    {
        string path = Path.Combine(TestContext.CurrentContext.WorkDirectory, $"policy-{Guid.NewGuid():N}.ckpt");
        using var small = new PolicyHost<MoveToGoal>(w => new MoveToGoal(w), Mlp.Input(1).Dense(8, Activation.Tanh), ActionSpace.Continuous(1), Options(8));
        Checkpoint.Save(small.Policy, path);
        using var other = new PolicyHost<MoveToGoal>(w => new MoveToGoal(w), Hidden, ActionSpace.Continuous(1), Options(8));
        (float[] before, _, _) = Greedy(other.Policy);

        Assert.That(() => Checkpoint.Load(other.Policy, path), Throws.TypeOf<CheckpointException>().With.Message.Contains("architecture mismatch"));
        Assert.That(Greedy(other.Policy).Actions, Is.EqualTo(before));
        File.Delete(path);
    }

    /// <summary>The acting graph's means for a fixed sweep of observations, and its statistics.</summary>
    private static (float[] Actions, double Count, double Mean) Greedy(PpoPolicy policy)
    {
        Span<float> observations = policy.ActingGraph.AllValues(policy.Acting.Observation);
        for (int row = 0; row < 8; row++)
            observations[row] = -1 + row / 4f;
        using var scheduler = new EcsNeural.Ecs.Jobs.JobScheduler(1);
        using var forward = NeuralSystems.Inference<float>(policy.Runtime, scheduler);
        forward.Update(0f);
        float[] means = [.. policy.ActingGraph.AllValues(policy.Acting.PolicyHead)[..8]];
        return (means, policy.Statistics.Count, policy.Statistics.Mean(0));
    }
}
