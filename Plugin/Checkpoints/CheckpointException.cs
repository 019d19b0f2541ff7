namespace EcsNeural.Plugin.Checkpoints;

/// <summary>
/// A checkpoint cannot be loaded: truncated, corrupted (checksum mismatch), of another format version or element type,
/// or for another architecture. The message names the file and what was wrong; the world and graph are unchanged.
/// </summary>
public sealed class CheckpointException : Exception
{
    /// <summary>Creates the exception for the checkpoint at <paramref name="path"/>.</summary>
    public CheckpointException(string path, string detail, Exception? inner = null)
        : base($"Checkpoint '{path}': {detail}.", inner)
    {
        Path = path;
    }

    /// <summary>The checkpoint file.</summary>
    public string Path { get; }
}
