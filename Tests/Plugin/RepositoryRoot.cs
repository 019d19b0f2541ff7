namespace EcsNeural.Tests.Plugin;

/// <summary>The repository checkout the tests run from (the folder holding Ecs.sln).</summary>
internal static class RepositoryRoot
{
    public static string Path { get; } = Find();

    private static string Find()
    {
        for (DirectoryInfo? dir = new(TestContext.CurrentContext.TestDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "Ecs.sln")))
                return dir.FullName;
        }
        throw new InvalidOperationException($"No Ecs.sln above {TestContext.CurrentContext.TestDirectory}.");
    }
}
