namespace EcsNeural.Plugin.Checkpoints;

/// <summary>
/// A checkpoint cannot be saved or loaded: the file is missing, unreadable or unwritable, truncated, corrupted (checksum
/// mismatch), of another format version or element type, out of range, or for another architecture. The message names
/// the file, the field and what was wrong; the world and graph are unchanged.
/// </summary>
public sealed class CheckpointException : Exception
{
    /// <summary>Creates the exception for <paramref name="field"/> of the checkpoint at <paramref name="path"/>.</summary>
    public CheckpointException(string path, string field, string detail, Exception? inner = null)
        : base($"Checkpoint '{path}', {field}: {detail}.", inner)
    {
        Path = path;
        Field = field;
    }

    /// <summary>The checkpoint file.</summary>
    public string Path { get; }

    /// <summary>
    /// What was wrong, as the format names it (<see cref="CheckpointFormat"/>): <c>file</c> for IO, <c>magic</c>,
    /// <c>version</c>, <c>length</c>, <c>checksum</c>, <c>instances</c>, <c>node 3 shape</c>, <c>learning rate</c>, …
    /// </summary>
    public string Field { get; }
}
