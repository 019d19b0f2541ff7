using System.Reflection;
using EcsNeural.Ecs;

namespace EcsNeural.Tests.Ecs;

/// <summary>A disposed world refuses every call with <see cref="ObjectDisposedException"/>, not with a misleading "entity not alive".</summary>
public class DisposedWorldTests
{
    private struct Nothing1 : IForEach<Health> { public void Update(Entity e, ref Health a) { } }
    private struct Nothing2 : IForEach<Health, Mass> { public void Update(Entity e, ref Health a, ref Mass b) { } }
    private struct Nothing3 : IForEach<Health, Mass, Flag> { public void Update(Entity e, ref Health a, ref Mass b, ref Flag c) { } }
    private struct Nothing4 : IForEach<Health, Mass, Flag, Position> { public void Update(Entity e, ref Health a, ref Mass b, ref Flag c, ref Position d) { } }

    /// <summary>Every public member of <see cref="World"/> but Dispose, called once each: the name it stands for, and the call.</summary>
    private static IEnumerable<(string Member, Action<World, Entity> Call)> Calls()
    {
        var q = new QueryDescription().WithAll<Health>();
        yield return ("Size", (w, e) => _ = w.Size);
        yield return ("ArchetypeCount", (w, e) => _ = w.ArchetypeCount);
        yield return ("IsIterating", (w, e) => _ = w.IsIterating);
        yield return ("Create", (w, e) => w.Create());
        yield return ("Create", (w, e) => w.Create(new Health(1)));
        yield return ("Create", (w, e) => w.Create(new Health(1), new Mass(2)));
        yield return ("Create", (w, e) => w.Create(new Health(1), new Mass(2), new Flag(3)));
        yield return ("Create", (w, e) => w.Create(new Health(1), new Mass(2), new Flag(3), new Position(4, 5)));
        yield return ("Destroy", (w, e) => w.Destroy(e));
        yield return ("IsAlive", (w, e) => w.IsAlive(e));
        yield return ("CountEntities", (w, e) => w.CountEntities(q));
        yield return ("Query", (w, e) => w.Query(q));
        yield return ("Query", (w, e) => w.Query(q, (ref Health a) => { }));
        yield return ("Query", (w, e) => w.Query(q, (Entity e, ref Health a) => { }));
        yield return ("Query", (w, e) => w.Query(q, (ref Health a, ref Mass b) => { }));
        yield return ("Query", (w, e) => w.Query(q, (Entity e, ref Health a, ref Mass b) => { }));
        yield return ("Query", (w, e) => w.Query(q, (ref Health a, ref Mass b, ref Flag c) => { }));
        yield return ("Query", (w, e) => w.Query(q, (Entity e, ref Health a, ref Mass b, ref Flag c) => { }));
        yield return ("Query", (w, e) => w.Query(q, (ref Health a, ref Mass b, ref Flag c, ref Position d) => { }));
        yield return ("Query", (w, e) => w.Query(q, (Entity e, ref Health a, ref Mass b, ref Flag c, ref Position d) => { }));
        yield return ("InlineQuery", (w, e) => { var body = new Nothing1(); w.InlineQuery<Nothing1, Health>(q, ref body); });
        yield return ("InlineQuery", (w, e) => { var body = new Nothing2(); w.InlineQuery<Nothing2, Health, Mass>(q, ref body); });
        yield return ("InlineQuery", (w, e) => { var body = new Nothing3(); w.InlineQuery<Nothing3, Health, Mass, Flag>(q, ref body); });
        yield return ("InlineQuery", (w, e) => { var body = new Nothing4(); w.InlineQuery<Nothing4, Health, Mass, Flag, Position>(q, ref body); });
        yield return ("Add", (w, e) => w.Add(e, new Position(1, 2)));
        yield return ("Remove", (w, e) => w.Remove<Health>(e));
        yield return ("Set", (w, e) => w.Set(e, new Health(7)));
        yield return ("Get", (w, e) => w.Get<Health>(e));
        yield return ("Has", (w, e) => w.Has<Health>(e));
        yield return ("TryGet", (w, e) => w.TryGet<Health>(e, out _));
    }

    [Test]
    public void EveryMemberThrowsObjectDisposedException()
    {
        foreach ((string member, Action<World, Entity> call) in Calls())
        {
            var world = new World();
            Entity entity = world.Create(new Health(1), new Mass(2));
            world.Dispose();

            Assert.Throws<ObjectDisposedException>(() => call(world, entity), member);
        }
    }

    [Test]
    public void TheListCoversEveryPublicMember()
    {
        string[] members = typeof(World).GetMembers(BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly)
            .Where(m => m is PropertyInfo || m is MethodInfo { IsSpecialName: false })
            .Select(m => m.Name).Where(n => n != nameof(World.Dispose)).Distinct().Order().ToArray();

        Assert.That(Calls().Select(c => c.Member).Distinct().Order(), Is.EqualTo(members));
    }

    [Test]
    public void PlaybackIntoADisposedWorldAppliesNothingAndKeepsTheCommands()
    {
        var world = new World();
        Entity entity = world.Create(new Health(1));
        var commands = new CommandBuffer();
        commands.Set(0, entity, new Health(2));
        world.Dispose();

        Assert.Throws<ObjectDisposedException>(() => commands.Playback(world));
        Assert.That(commands.Count, Is.EqualTo(1));
    }

    [Test]
    public void DisposingTwiceIsAllowed()
    {
        var world = new World();
        world.Dispose();
        Assert.DoesNotThrow(world.Dispose);
    }
}
