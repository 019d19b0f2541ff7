namespace EcsNeural.Tests.Support;

/// <summary>
/// Marks a test, or every test of a fixture, that takes a second or more (learning runs, long determinism runs, the
/// window, the package consumer, allocation measurements with long warm-ups). The fast subset leaves them out:
/// <c>dotnet test Ecs.sln -c Release --filter "TestCategory!=Slow"</c>; the plain command runs everything.
/// </summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Method, AllowMultiple = false)]
public sealed class SlowAttribute : CategoryAttribute
{
    /// <summary>The category "Slow".</summary>
    public SlowAttribute() : base("Slow") { }
}
