using EcsNeural.Ecs;

namespace EcsNeural.Tests.Ecs;

public class SystemGroupTests
{
    private abstract class LoggingSystem(List<string> log) : ISystem<float>
    {
        private string Name => GetType().Name;
        public void Initialize() => log.Add($"init {Name}");
        public void BeforeUpdate(in float state) => log.Add($"before {Name}");
        public void Update(in float state) => log.Add($"update {Name} {state}");
        public void AfterUpdate(in float state) => log.Add($"after {Name}");
        public void Dispose() => log.Add($"dispose {Name}");
    }

    private sealed class Alpha(List<string> log) : LoggingSystem(log);

    [UpdateAfter(typeof(Alpha))]
    private sealed class Beta(List<string> log) : LoggingSystem(log);

    [UpdateBefore(typeof(Alpha))]
    private sealed class Gamma(List<string> log) : LoggingSystem(log);

    [UpdateBefore(typeof(NotInTheGroup))]
    private sealed class Delta(List<string> log) : LoggingSystem(log);

    private sealed class NotInTheGroup(List<string> log) : LoggingSystem(log);

    [UpdateBefore(typeof(CycleB))]
    private sealed class CycleA(List<string> log) : LoggingSystem(log);

    [UpdateBefore(typeof(CycleC))]
    private sealed class CycleB(List<string> log) : LoggingSystem(log);

    [UpdateAfter(typeof(CycleB))]
    [UpdateBefore(typeof(CycleA))]
    private sealed class CycleC(List<string> log) : LoggingSystem(log);

    private static string[] Names(SystemGroup<float> group) => group.Systems.Select(s => s.GetType().Name).ToArray();

    private sealed class GenericFirst<TState>(List<string> log) : ISystem<TState>
    {
        public void Update(in TState state) => log.Add("GenericFirst");
    }

    [UpdateAfter(typeof(GenericFirst<>))]
    private sealed class AfterAnyGenericFirst<TState>(List<string> log) : ISystem<TState>
    {
        public void Update(in TState state) => log.Add("AfterAnyGenericFirst");
    }

    [Test]
    public void AnOpenGenericConstraintOrdersEveryConstructedTypeAndTimingsNameGenericSystemsPlainly()
    {
        var log = new List<string>();
        var group = new SystemGroup<long>("Ticks").Add(new AfterAnyGenericFirst<long>(log)).Add(new GenericFirst<long>(log));

        group.Update(7);

        Assert.That(log, Is.EqualTo(new[] { "GenericFirst", "AfterAnyGenericFirst" }));
        Assert.That(group.Timings.Select(t => t.Name), Is.EqualTo(new[] { "GenericFirst", "AfterAnyGenericFirst" }));
    }

    [Test]
    public void OrderFollowsUpdateBeforeAndAfterWithInsertionOrderBreakingTies()
    {
        var log = new List<string>();
        var group = new SystemGroup<float>("Simulation")
            .Add(new Beta(log)).Add(new Alpha(log)).Add(new Delta(log)).Add(new Gamma(log));

        // Ready at the start: Delta (added 3rd) and Gamma (4th); Delta's reference to a system
        // outside the group is ignored. Then Gamma → Alpha → Beta.
        Assert.That(Names(group), Is.EqualTo(new[] { "Delta", "Gamma", "Alpha", "Beta" }));
    }

    [Test]
    public void PhasesRunInResolvedOrderAndTimingsAreRecordedPerSystem()
    {
        var log = new List<string>();
        var group = new SystemGroup<float>("Simulation").Add(new Beta(log)).Add(new Alpha(log));
        group.Initialize();
        group.BeforeUpdate(0.5f);
        group.Update(0.5f);
        group.AfterUpdate(0.5f);
        group.Dispose();

        Assert.That(log, Is.EqualTo(new[]
        {
            "init Alpha", "init Beta",
            "before Alpha", "before Beta",
            "update Alpha 0.5", "update Beta 0.5",
            "after Alpha", "after Beta",
            "dispose Beta", "dispose Alpha",
        }));
        Assert.That(group.Timings.Select(t => t.Name), Is.EqualTo(new[] { "Alpha", "Beta" }));
        Assert.That(group.Timings.All(t => t.UpdateMilliseconds >= 0 && t.TotalMilliseconds >= t.UpdateMilliseconds), Is.True);
    }

    [Test]
    public void ASystemWritingOnlyUpdateRunsBesideOnesThatWriteEveryPhase()
    {
        var log = new List<string>();
        var counting = new Counting();
        var group = new SystemGroup<float>("Mixed").Add(counting).Add(new Alpha(log));
        group.Initialize();
        group.BeforeUpdate(2);
        group.Update(2);
        group.AfterUpdate(2);
        group.Dispose();

        Assert.That(counting.Updates, Is.EqualTo(1), "the phases it does not write default to doing nothing");
        Assert.That(log, Is.EqualTo(new[] { "init Alpha", "before Alpha", "update Alpha 2", "after Alpha", "dispose Alpha" }),
            "a system's own phases, Dispose included, still run through the group");
    }

    [Test]
    public void GroupsNestAndAppearInTimingsByName()
    {
        var log = new List<string>();
        var inner = new SystemGroup<float>("Inner").Add(new Beta(log)).Add(new Alpha(log));
        var outer = new SystemGroup<float>("Outer").Add(inner).Add(new Delta(log));
        outer.Update(1);
        Assert.That(log, Is.EqualTo(new[] { "update Alpha 1", "update Beta 1", "update Delta 1" }));
        Assert.That(outer.Timings.Select(t => t.Name), Is.EqualTo(new[] { "Inner", "Delta" }));
    }

    [Test]
    public void ACycleIsReportedNamingEverySystemInIt()
    {
        var log = new List<string>();
        var group = new SystemGroup<float>("Broken")
            .Add(new Alpha(log)).Add(new CycleC(log)).Add(new CycleA(log)).Add(new CycleB(log));

        var ex = Assert.Throws<InvalidOperationException>(() => group.Update(0))!;

        Assert.That(ex.Message, Does.Contain("Broken").And.Contain("cycle"));
        Assert.That(ex.Message, Does.Contain("CycleA").And.Contain("CycleB").And.Contain("CycleC"));
        Assert.That(ex.Message, Does.Not.Contain("Alpha"));
        Assert.That(log, Is.Empty, "nothing runs when the order cannot be resolved");
    }

    [Test]
    public void AddingTheSameSystemTwiceIsRejected()
    {
        var alpha = new Alpha([]);
        var group = new SystemGroup<float>("G").Add(alpha);
        Assert.Throws<ArgumentException>(() => group.Add(alpha));
    }

    [Test]
    public void UpdatingAGroupDoesNotAllocateAfterWarmUp()
    {
        var group = new SystemGroup<float>("G").Add(new Counting()).Add(new Counting());
        group.Update(1);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 100; i++)
        {
            group.BeforeUpdate(1);
            group.Update(1);
            group.AfterUpdate(1);
        }
        Assert.That(GC.GetAllocatedBytesForCurrentThread() - before, Is.Zero);
        Assert.That(((Counting)group.Systems[0]).Updates, Is.EqualTo(101));
    }

    private sealed class Counting : ISystem<float>
    {
        public int Updates;
        public void Update(in float state) => Updates++;
    }
}
