using System.Diagnostics.CodeAnalysis;
using EcsNeural.Ecs.Jobs;

namespace EcsNeural.Systems.Ops;

/// <summary>
/// How a one-block graph cuts a big element-wise pass (an <see cref="OpDescription.ElementWise"/> op, a finite scan) into
/// fixed-size chunks run as parallel jobs. Each element's result depends on that element alone and the chunk size (a
/// multiple of every vector width) follows from nothing but this constant, so the bits are the same with any worker count.
/// </summary>
/// <remarks>
/// A 16,384-sample PPO minibatch holds 1M-element tanh layers; on one core their forward and backward passes were the
/// update's largest serial cost after the weight gradients.
/// </remarks>
internal static class ParallelElements
{
    /// <summary>Elements per job: 256 KB of floats, a multiple of every vector width.</summary>
    public const int Chunk = 1 << 16;

    /// <summary>Whether a pass over <paramref name="length"/> elements is cut into chunks: there is a row scheduler and at least two chunks.</summary>
    public static bool InChunks([NotNullWhen(true)] JobScheduler? rowScheduler, int length) => rowScheduler is not null && length >= 2 * Chunk;
}
