namespace EcsNeural.Systems.Graph;

/// <summary>How a graph's arena orders the instances of each node (<see cref="ComputeGraph.Layout"/>).</summary>
public enum InstanceLayout
{
    /// <summary>
    /// The engine chooses: <see cref="Interleaved"/> when the graph qualifies for it (see there), which on the population
    /// shapes we measure is the faster one, else <see cref="Contiguous"/>.
    /// </summary>
    Automatic,

    /// <summary>Each instance's tensor of a node is one contiguous run, instances back to back.</summary>
    Contiguous,

    /// <summary>
    /// Instances in groups of one vector's lanes (16 floats or 8 doubles with AVX-512; 8 floats or 4 doubles with AVX2 only), element by element:
    /// <c>[group][element][lane]</c>. Every vector instruction of a dense layer then serves a whole group of agents,
    /// however narrow the layer, and no input gradient needs a horizontal sum. The graph qualifies when it has at least
    /// one group's worth of instance capacity, one sample per instance, fast numerics (<see cref="Kernels.NumericsMode.Fast"/>),
    /// hardware vectors of at least 256 bits, and only dense layers, element-wise activations and an MSE loss (any optimizer: Adam's bias
    /// corrections are taken per lane, from each instance's own step count). Requesting it for a graph that does not qualify fails the compile, naming why.
    /// The typed accessors (<see cref="ComputeGraph{T}.Values"/> and the rest) still hand out one contiguous span per
    /// instance: the first of them after a tick puts the arena back in instance order (one pass over it), and the next tick
    /// interleaves it again. Spans taken before a tick are not valid after it.
    /// </summary>
    Interleaved,
}
