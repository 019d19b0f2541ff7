namespace EcsNeural.Ecs.Jobs;

/// <summary>
/// Hands out a small dense index per closed record type, so each scheduler can keep one free list
/// per job type in a plain array instead of a dictionary keyed by <see cref="Type"/>.
/// </summary>
internal static class RecordKinds
{
    private static int _last = -1;

    public static int Next() => Interlocked.Increment(ref _last);
}
