namespace EcsNeural.Ecs.Jobs;

/// <summary>
/// Work over <c>count</c> items split into fixed-size blocks, scheduled with
/// <see cref="JobScheduler.ScheduleParallelFor{TJob}"/>. Implement it on a struct. Each block is
/// executed exactly once, possibly concurrently with other blocks on other threads, each call on its
/// own copy of the struct.
/// </summary>
public interface IJobParallelFor
{
    /// <summary>
    /// Processes items <c>[start, end)</c>, which form block <paramref name="blockIndex"/>:
    /// <c>start = blockIndex * blockSize</c>, <c>end = min(start + blockSize, count)</c>.
    /// </summary>
    /// <param name="blockIndex">Index of the block; use it to write per-block partial results.</param>
    /// <param name="start">First item of the block.</param>
    /// <param name="end">One past the last item of the block.</param>
    void Execute(int blockIndex, int start, int end);
}
