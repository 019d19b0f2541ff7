using EcsNeural.Ecs;

namespace EcsNeural.Tests.Ecs;

public class EntityLifecycleTests
{
    [Test]
    public void CreatedEntitiesAreAliveUntilDestroyed()
    {
        using var world = new World();
        Entity a = world.Create();
        Entity b = world.Create(new Health(5));
        Assert.That(world.Size, Is.EqualTo(2));
        Assert.That(world.IsAlive(a) && world.IsAlive(b), Is.True);

        world.Destroy(a);

        Assert.That(world.IsAlive(a), Is.False);
        Assert.That(world.IsAlive(b), Is.True);
        Assert.That(world.Size, Is.EqualTo(1));
        Assert.That(world.Get<Health>(b).Value, Is.EqualTo(5));
    }

    [Test]
    public void DefaultAndNullEntitiesAreNeverAlive()
    {
        using var world = new World();
        world.Create();
        Assert.That(world.IsAlive(default), Is.False);
        Assert.That(world.IsAlive(Entity.Null), Is.False);
        Assert.That(Entity.Null.Id, Is.EqualTo(-1));
    }

    [Test]
    public void ReusedIdGetsNewVersionAndOldHandleIsRejected()
    {
        using var world = new World();
        Entity old = world.Create(new Health(1));
        world.Destroy(old);
        Entity reused = world.Create(new Health(2));

        Assert.That(reused.Id, Is.EqualTo(old.Id));
        Assert.That(reused.Version, Is.Not.EqualTo(old.Version));
        Assert.That(world.IsAlive(old), Is.False);

        var get = Assert.Throws<InvalidOperationException>(() => world.Get<Health>(old))!;
        Assert.That(get.Message, Does.Contain(old.ToString()).And.Contain("get Health").And.Contain("stale"));
        Assert.Throws<InvalidOperationException>(() => world.Set(old, new Health(9)));
        Assert.Throws<InvalidOperationException>(() => world.Add(old, new Mass(1)));
        Assert.Throws<InvalidOperationException>(() => world.Remove<Health>(old));
        Assert.Throws<InvalidOperationException>(() => world.Has<Health>(old));
        Assert.Throws<InvalidOperationException>(() => world.TryGet<Health>(old, out _));
        var destroy = Assert.Throws<InvalidOperationException>(() => world.Destroy(old))!;
        Assert.That(destroy.Message, Does.Contain("destroy").And.Contain(old.ToString()));

        // The failed calls touched nothing: the entity now holding the id is intact.
        Assert.That(world.Get<Health>(reused).Value, Is.EqualTo(2));
        Assert.That(world.Has<Mass>(reused), Is.False);
        Assert.That(world.Size, Is.EqualTo(1));
    }

    [Test]
    public void DestroyingTwiceNamesTheEntity()
    {
        using var world = new World();
        Entity e = world.Create();
        world.Destroy(e);
        var ex = Assert.Throws<InvalidOperationException>(() => world.Destroy(e))!;
        Assert.That(ex.Message, Does.Contain(e.ToString()).And.Contain("destroyed"));
    }

    [Test]
    public void EntityFromAnotherWorldOrNeverCreatedIsRejected()
    {
        using var world = new World();
        var ex = Assert.Throws<InvalidOperationException>(() => world.Get<Health>(new Entity(40, 1)))!;
        Assert.That(ex.Message, Does.Contain("Entity(40, v1)").And.Contain("never created"));
        Assert.Throws<InvalidOperationException>(() => world.Destroy(Entity.Null));
    }

    [Test]
    public void CreateWithSeveralComponentsStoresEach()
    {
        using var world = new World();
        Entity e = world.Create(new Position(1, 2), new Velocity(3, 4, 5), new Health(6), new Flag(7));
        Assert.That(world.Get<Position>(e), Is.EqualTo(new Position(1, 2)));
        Assert.That(world.Get<Velocity>(e), Is.EqualTo(new Velocity(3, 4, 5)));
        Assert.That(world.Get<Health>(e), Is.EqualTo(new Health(6)));
        Assert.That(world.Get<Flag>(e), Is.EqualTo(new Flag(7)));
        Assert.That(world.Has<Mass>(e), Is.False);
    }

    [Test]
    public void CreateWithDuplicateComponentTypeThrowsAndCreatesNothing()
    {
        using var world = new World();
        var ex = Assert.Throws<ArgumentException>(() => world.Create(new Health(1), new Health(2)))!;
        Assert.That(ex.Message, Does.Contain("Health"));
        Assert.That(world.Size, Is.Zero);
    }
}
