namespace EcsNeural.Demo.Brains;

/// <summary>
/// The seam between the arena and whatever implements its agents' controller networks: one small
/// MLP per agent, all run and trained together. Row i of every matrix belongs to brain slot i.
/// </summary>
public interface IBrainPopulation : IDisposable
{
    /// <summary>Number of agents (networks).</summary>
    int Count { get; }

    /// <summary>Widths of the layers, inputs first and outputs last.</summary>
    IReadOnlyList<int> LayerSizes { get; }

    /// <summary>Runs every network: <paramref name="observations"/> is Count × inputs, <paramref name="actions"/> Count × outputs.</summary>
    void Act(ReadOnlySpan<float> observations, Span<float> actions);

    /// <summary>
    /// One training step on the last <see cref="Act"/>'s inputs: moves each network's outputs towards
    /// <paramref name="targets"/> (Count × outputs) under mean squared error. Returns the mean loss over agents.
    /// </summary>
    float Learn(ReadOnlySpan<float> targets);

    /// <summary>
    /// <see cref="Act"/> and <see cref="Learn"/> in one training step: its forward pass is the acting pass (the update
    /// comes after it), so <paramref name="actions"/> and the parameters afterwards are exactly what Act then Learn give,
    /// for one forward pass instead of two. Returns the mean loss over agents.
    /// </summary>
    float ActAndLearn(ReadOnlySpan<float> observations, ReadOnlySpan<float> targets, Span<float> actions);

    /// <summary>The optimizer's step size for <see cref="Learn"/>; changing it keeps the optimizer's state.</summary>
    double LearningRate { get; set; }

    /// <summary>Values of layer <paramref name="layer"/> (0 = inputs) from the last <see cref="Act"/>, Count × width.</summary>
    ReadOnlySpan<float> Activations(int layer);

    /// <summary>Agent <paramref name="agent"/>'s weights from layer <paramref name="layer"/> to the next, stored [in][out].</summary>
    ReadOnlySpan<float> Weights(int agent, int layer);

    /// <summary>A 64-bit checksum of every parameter of every network, to compare runs bit for bit.</summary>
    ulong ParameterChecksum();

    /// <summary>Writes every network's parameters to <paramref name="path"/>.</summary>
    void Save(string path);
}
