using EcsNeural.Ecs;

namespace EcsNeural.Tests.Ecs;

public class ComponentAccessTests
{
    [Test]
    public void AddRemoveSetGetHasTryGet()
    {
        using var world = new World();
        Entity e = world.Create(new Position(1, 1));
        world.Add(e, new Velocity(2, 2, 2));
        Assert.That(world.Has<Velocity>(e), Is.True);
        world.Set(e, new Velocity(3, 3, 3));
        Assert.That(world.Get<Velocity>(e), Is.EqualTo(new Velocity(3, 3, 3)));

        world.Get<Position>(e).X = 10;
        Assert.That(world.Get<Position>(e).X, Is.EqualTo(10));

        Assert.That(world.TryGet(e, out Velocity v), Is.True);
        Assert.That(v, Is.EqualTo(new Velocity(3, 3, 3)));
        world.Remove<Velocity>(e);
        Assert.That(world.TryGet(e, out Velocity missing), Is.False);
        Assert.That(missing, Is.EqualTo(default(Velocity)));
        Assert.That(world.Get<Position>(e), Is.EqualTo(new Position(10, 1)));
    }

    [Test]
    public void AddingAPresentComponentThrowsNamingTypeAndEntityAndChangesNothing()
    {
        using var world = new World();
        Entity neighbour = world.Create(new Health(7), new Mass(8));
        Entity e = world.Create(new Health(1), new Mass(2));
        int archetypes = world.ArchetypeCount;

        var ex = Assert.Throws<InvalidOperationException>(() => world.Add(e, new Health(99)))!;

        Assert.That(ex.Message, Does.Contain("Health").And.Contain(e.ToString()));
        Assert.That(world.Get<Health>(e).Value, Is.EqualTo(1));
        Assert.That(world.Get<Mass>(e).Value, Is.EqualTo(2));
        Assert.That(world.Get<Health>(neighbour).Value, Is.EqualTo(7));
        Assert.That(world.Get<Mass>(neighbour).Value, Is.EqualTo(8));
        Assert.That(world.ArchetypeCount, Is.EqualTo(archetypes));
    }

    [Test]
    public void RemovingAnAbsentComponentThrowsNamingTypeAndEntityAndChangesNothing()
    {
        using var world = new World();
        Entity e = world.Create(new Health(1));
        Entity neighbour = world.Create(new Health(2));

        var ex = Assert.Throws<InvalidOperationException>(() => world.Remove<Velocity>(e))!;

        Assert.That(ex.Message, Does.Contain("Velocity").And.Contain(e.ToString()));
        Assert.That(world.Get<Health>(e).Value, Is.EqualTo(1));
        Assert.That(world.Get<Health>(neighbour).Value, Is.EqualTo(2));
        Assert.That(world.Has<Velocity>(e), Is.False);
    }

    [Test]
    public void GetOrSetOfAnAbsentComponentThrowsNamingTypeAndEntity()
    {
        using var world = new World();
        Entity e = world.Create(new Health(1));
        var get = Assert.Throws<InvalidOperationException>(() => world.Get<Mass>(e))!;
        Assert.That(get.Message, Does.Contain("Mass").And.Contain(e.ToString()));
        var set = Assert.Throws<InvalidOperationException>(() => world.Set(e, new Mass(3)))!;
        Assert.That(set.Message, Does.Contain("Mass").And.Contain(e.ToString()));
    }

    [Test]
    public void RemovingFromTheMiddleSwapsTheLastEntityInWithItsData()
    {
        using var world = new World();
        var entities = new Entity[5];
        for (int i = 0; i < entities.Length; i++) entities[i] = world.Create(new Health(i), new Big(i, i, i, i, i));

        world.Remove<Big>(entities[1]);
        world.Destroy(entities[2]);

        Assert.That(world.Get<Health>(entities[0]).Value, Is.EqualTo(0));
        Assert.That(world.Get<Health>(entities[1]).Value, Is.EqualTo(1));
        Assert.That(world.Has<Big>(entities[1]), Is.False);
        for (int i = 3; i < 5; i++)
        {
            Assert.That(world.Get<Health>(entities[i]).Value, Is.EqualTo(i));
            Assert.That(world.Get<Big>(entities[i]), Is.EqualTo(new Big(i, i, i, i, i)));
        }
    }

    [Test]
    public void GetAndSetDoNotAllocateAfterWarmUp()
    {
        using var world = new World();
        Entity e = world.Create(new Health(0), new Position(0, 0));
        world.Get<Health>(e).Value++;
        world.Set(e, new Position(1, 1));

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 1000; i++)
        {
            world.Get<Health>(e).Value++;
            world.Set(e, new Position(i, i));
        }
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.That(allocated, Is.Zero);
        Assert.That(world.Get<Health>(e).Value, Is.EqualTo(1001));
    }
}
