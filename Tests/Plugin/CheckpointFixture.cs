namespace EcsNeural.Tests.Plugin;

/// <summary>A fresh temporary directory per test for checkpoint files, and the hosts a test opens, released after it.</summary>
public abstract class CheckpointFixture
{
    private readonly List<PluginHost> _hosts = [];
    private protected DirectoryInfo Directory { get; private set; } = null!;

    /// <summary>Whether the test writes so many files that a memory-backed directory (<c>/dev/shm</c>, when there is one) is worth it.</summary>
    private protected virtual bool InMemory => false;

    [SetUp]
    public void CreateDirectory()
        => Directory = InMemory && System.IO.Directory.Exists("/dev/shm")
            ? System.IO.Directory.CreateDirectory(Path.Combine("/dev/shm", $"ecsneural-checkpoints-{Guid.NewGuid():N}"))
            : System.IO.Directory.CreateTempSubdirectory("ecsneural-checkpoints-");

    [TearDown]
    public void Release()
    {
        foreach (PluginHost host in _hosts)
            host.Dispose();
        _hosts.Clear();
        Directory.Delete(recursive: true);
    }

    private protected string PathOf(string name) => Path.Combine(Directory.FullName, name);

    private protected PluginHost Host()
    {
        var host = new PluginHost();
        _hosts.Add(host);
        return host;
    }

    private protected string[] FileNames() => [.. Directory.GetFiles().Select(f => f.Name).Order(StringComparer.Ordinal)];
}
