using EcsNeural.Benchmarks.Soak;
using EcsNeural.Tests.Support;

namespace EcsNeural.Tests.Population;

/// <summary>The soak's world, briefly: agents spawn and die every tick and a tick still allocates nothing once warm.</summary>
[Slow]
public sealed class ChurnAllocationTests
{
    [Test]
    public void ATickWithAgentsSpawningAndDyingAllocatesNothingAfterWarmUp()
    {
        using var world = new ChurnWorld(agents: 200, workers: 1);
        long allocated = Allocations.AfterWarmUp(world.Tick, steps: 2 * ChurnWorld.Swing);

        Assert.That(allocated, Is.Zero, "bytes allocated over two population swings");
        Assert.That(world.Agents, Is.InRange(200, 200 + ChurnWorld.Swing));
    }
}
