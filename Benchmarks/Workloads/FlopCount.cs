namespace EcsNeural.Benchmarks.Workloads;

/// <summary>
/// How GFLOP/s are counted, the same for every implementation: a dense layer costs 2·in·out FLOPs per sample
/// forward, and forward + backward is counted as 3× forward (dX and dW each cost one forward, the first layer's
/// unneeded dX included, as the PyTorch figures in DESIGN.md assume); the SGD update adds 2 FLOPs per parameter.
/// Activations, loss and bias additions are not counted.
/// </summary>
public static class FlopCount
{
    /// <summary>FLOPs of one training step of an MLP with the given layer widths over <paramref name="samples"/> samples.</summary>
    /// <param name="widths">Layer widths, input first (e.g. 16, 32, 32, 4).</param>
    /// <param name="samples">Samples per network per step (the batch).</param>
    /// <param name="networks">Independent networks (population size; 1 for a single MLP).</param>
    public static double TrainingStep(IReadOnlyList<int> widths, int samples, int networks)
    {
        double macs = 0, parameters = 0;
        for (int l = 0; l + 1 < widths.Count; l++)
        {
            macs += (double)widths[l] * widths[l + 1];
            parameters += (double)widths[l] * widths[l + 1] + widths[l + 1];
        }
        return networks * (3 * 2 * macs * samples + 2 * parameters);
    }
}
