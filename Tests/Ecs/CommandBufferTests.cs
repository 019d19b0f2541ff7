using EcsNeural.Ecs;

namespace EcsNeural.Tests.Ecs;

public class CommandBufferTests
{
    [Test]
    public void PlaybackFollowsSortKeyThenInsertionOrderNotCommandKind()
    {
        using var world = new World();
        Entity e = world.Create(new Health(-1));
        var buffer = new CommandBuffer();
        buffer.Set(2, e, new Health(20));
        buffer.Add(1, e, new Mass(1));
        buffer.Remove<Mass>(3, e);
        buffer.Add(4, e, new Mass(4));
        buffer.Set(2, e, new Health(21));
        buffer.Set(0, e, new Health(0));
        // Grouped by kind (all adds first) this sequence would fail: Mass would be added twice.

        buffer.Playback(world);

        Assert.That(world.Get<Health>(e).Value, Is.EqualTo(21));
        Assert.That(world.Get<Mass>(e).Value, Is.EqualTo(4));
        Assert.That(buffer.Count, Is.Zero);
    }

    [Test]
    public void DeferredCreatesRunInSortKeyOrderAndLaterCommandsCanTargetThem()
    {
        using var world = new World();
        var buffer = new CommandBuffer();
        Entity third = buffer.Create(30);
        Entity first = buffer.Create(10);
        Entity second = buffer.Create(20);
        buffer.Add(30, third, new Health(3));
        buffer.Add(10, first, new Health(1));
        buffer.Add(20, second, new Health(2));
        Assert.That(world.IsAlive(first), Is.False, "placeholders are not entities");

        buffer.Playback(world);

        Entity[] created = [buffer.Resolve(first), buffer.Resolve(second), buffer.Resolve(third)];
        Assert.That(created.Select(c => c.Id), Is.EqualTo(new[] { 0, 1, 2 }), "creation follows sort keys");
        for (int i = 0; i < 3; i++) Assert.That(world.Get<Health>(created[i]).Value, Is.EqualTo(i + 1));
    }

    [Test]
    public void ChangesRecordedDuringAQueryApplyAfterItAndPlaybackDuringAQueryThrows()
    {
        using var world = new World();
        for (int i = 0; i < 10; i++) world.Create(new Health(i));
        QueryDescription query = new QueryDescription().WithAll<Health>();
        var buffer = new CommandBuffer();

        world.Query(in query, (Entity e, ref Health h) =>
        {
            if (h.Value % 2 == 0) buffer.Destroy(e.Id, e);
            else buffer.Add(e.Id, e, new Mass(h.Value));
        });
        Assert.That(world.Size, Is.EqualTo(10));

        var during = new CommandBuffer();
        during.Create(0);
        var ex = Assert.Throws<InvalidOperationException>(() => world.Query(in query, (ref Health _) => during.Playback(world)))!;
        Assert.That(ex.Message, Does.Contain("while a query is running"));

        buffer.Playback(world);
        Assert.That(world.Size, Is.EqualTo(5));
        Assert.That(world.CountEntities(new QueryDescription().WithAll<Health, Mass>()), Is.EqualTo(5));
        world.Query(in query, (Entity e, ref Health h) => Assert.That(world.Get<Mass>(e).Value, Is.EqualTo(h.Value)));
    }

    [Test]
    public void SeveralBuffersMergeBySortKeyThenBufferPosition()
    {
        using var world = new World();
        Entity e = world.Create(new Health(0));
        var a = new CommandBuffer();
        var b = new CommandBuffer();

        a.Set(1, e, new Health(10));
        b.Set(0, e, new Health(5));
        b.Set(1, e, new Health(11));
        CommandBuffer.Playback(world, [a, b]);
        Assert.That(world.Get<Health>(e).Value, Is.EqualTo(11));

        a.Set(1, e, new Health(10));
        b.Set(1, e, new Health(11));
        CommandBuffer.Playback(world, [b, a]);
        Assert.That(world.Get<Health>(e).Value, Is.EqualTo(10));
        Assert.Throws<ArgumentException>(() => CommandBuffer.Playback(world, [a, a]));
    }

    [Test]
    public void AFailingCommandIsNamedEarlierOnesStayAndTheBufferIsCleared()
    {
        using var world = new World();
        Entity e = world.Create(new Health(0));
        Entity dead = world.Create();
        world.Destroy(dead);
        var buffer = new CommandBuffer();
        buffer.Set(0, e, new Health(1));
        buffer.Add(1, dead, new Mass(2));
        buffer.Set(2, e, new Health(3));

        var ex = Assert.Throws<InvalidOperationException>(() => buffer.Playback(world))!;

        Assert.That(ex.Message, Does.Contain("#1").And.Contain("Mass").And.Contain(dead.ToString()));
        Assert.That(ex.InnerException, Is.InstanceOf<InvalidOperationException>());
        Assert.That(world.Get<Health>(e).Value, Is.EqualTo(1));
        Assert.That(buffer.Count, Is.Zero);
        buffer.Set(0, e, new Health(4));
        buffer.Playback(world);
        Assert.That(world.Get<Health>(e).Value, Is.EqualTo(4), "the world and the buffer stay usable");
    }

    [Test]
    public void PlaceholdersAreCheckedAtRecordingAndAtPlayback()
    {
        using var world = new World();
        var buffer = new CommandBuffer();
        var other = new CommandBuffer();
        Entity foreign = other.Create(0);
        Assert.Throws<ArgumentException>(() => buffer.Add(0, foreign, new Health(1)));
        Assert.Throws<ArgumentException>(() => buffer.Destroy(0, Entity.Null));

        Entity later = buffer.Create(5);
        buffer.Add(1, later, new Health(1));
        var ex = Assert.Throws<InvalidOperationException>(() => buffer.Playback(world))!;
        Assert.That(ex.Message, Does.Contain("larger sort key"));

        Entity played = buffer.Create(0);
        buffer.Playback(world);
        Assert.Throws<ArgumentException>(() => buffer.Add(0, played, new Health(1)), "placeholders expire at playback");
        Assert.That(world.IsAlive(buffer.Resolve(played)), Is.True);
    }

    [Test]
    public void RecordingAndPlaybackDoNotAllocateAfterWarmUp()
    {
        using var world = new World();
        var entities = new Entity[100];
        for (int i = 0; i < entities.Length; i++) entities[i] = world.Create(new Health(i));
        var buffer = new CommandBuffer();

        void Frame(int frame)
        {
            for (int i = entities.Length - 1; i >= 0; i--) buffer.Set(i, entities[i], new Health(frame));
            buffer.Playback(world);
        }

        Frame(0);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int frame = 1; frame <= 10; frame++) Frame(frame);
        Assert.That(GC.GetAllocatedBytesForCurrentThread() - before, Is.Zero);
        Assert.That(world.Get<Health>(entities[50]).Value, Is.EqualTo(10));
    }
}
