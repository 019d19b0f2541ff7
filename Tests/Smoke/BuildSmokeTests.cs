namespace EcsNeural.Tests.Smoke;

public class BuildSmokeTests
{
    [Test]
    public void SolutionBuildsAndTestsRun() => Assert.That(typeof(BuildSmokeTests).Assembly.GetName().Name, Is.EqualTo("EcsNeural.Tests"));
}
