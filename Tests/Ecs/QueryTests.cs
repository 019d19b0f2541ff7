using EcsNeural.Ecs;
using EcsNeural.Tests.Support;

namespace EcsNeural.Tests.Ecs;

public class QueryTests
{
    private struct CollectPositions(List<(Entity, Position)> visited) : IForEach<Position>
    {
        public readonly void Update(Entity entity, ref Position position) => visited.Add((entity, position));
    }

    private struct Integrate : IForEach<Position, Velocity>
    {
        public int Visited;

        public void Update(Entity entity, ref Position position, ref Velocity velocity)
        {
            position.X += velocity.X;
            Visited++;
        }
    }

    [Test]
    public void AllAnyNoneSelectExactlyTheMatchingEntities()
    {
        using var world = new World();
        var random = new Random(7);
        var components = new Dictionary<Entity, (bool position, bool velocity, bool health, bool flag)>();
        for (int i = 0; i < 400; i++)
        {
            Entity e = world.Create();
            var has = (random.Next(2) == 0, random.Next(2) == 0, random.Next(2) == 0, random.Next(2) == 0);
            if (has.Item1) world.Add(e, new Position(i, 0));
            if (has.Item2) world.Add(e, new Velocity(i, 0, 0));
            if (has.Item3) world.Add(e, new Health(i));
            if (has.Item4) world.Add(e, new Flag(1));
            components[e] = has;
        }

        QueryDescription query = new QueryDescription().WithAll<Position>().WithAny<Velocity, Health>().WithNone<Flag>();
        var expected = components.Where(kv => kv.Value.position && (kv.Value.velocity || kv.Value.health) && !kv.Value.flag)
            .Select(kv => kv.Key).OrderBy(e => e.Id).ToList();

        var visited = new List<(Entity, Position)>();
        world.Query(in query, (Entity e, ref Position p) => visited.Add((e, p)));

        Assert.That(expected, Is.Not.Empty);
        Assert.That(visited.Select(v => v.Item1).OrderBy(e => e.Id), Is.EqualTo(expected));
        Assert.That(world.CountEntities(query), Is.EqualTo(expected.Count));
        Assert.That(visited.All(v => v.Item2.X == v.Item1.Id), Is.True, "each entity's own data is visited");

        Assert.That(world.CountEntities(new QueryDescription()), Is.EqualTo(400), "an empty description matches everything");
        Assert.That(world.CountEntities(new QueryDescription().WithAll<Position>().WithNone<Position>()), Is.Zero);
    }

    [Test]
    public void QueryMatchesArchetypesCreatedAfterItWasFirstUsed()
    {
        using var world = new World();
        QueryDescription query = new QueryDescription().WithAll<Health>();
        world.Create(new Health(1));
        Assert.That(world.CountEntities(query), Is.EqualTo(1));
        world.Create(new Health(2), new Mass(3));
        world.Create(new Mass(3));
        Assert.That(world.CountEntities(query), Is.EqualTo(2));
    }

    [Slow]
    [Test]
    public void TheThreeIterationFormsVisitTheSameEntitiesInTheSameOrderAndAgreeOnUpdates()
    {
        using var world = new World();
        var initial = new Dictionary<Entity, (Position, Velocity)>();
        for (int i = 0; i < 10_000; i++)
        {
            var position = new Position(i, -i);
            var velocity = new Velocity(i % 7, 0, 0);
            Entity e = (i % 3) switch
            {
                0 => world.Create(position, velocity),
                1 => world.Create(position, velocity, new Health(i)),
                _ => world.Create(position, new Health(i)), // no velocity: excluded below
            };
            if (i % 3 != 2) initial[e] = (position, velocity);
        }
        QueryDescription query = new QueryDescription().WithAll<Position, Velocity>();

        var byLambda = new List<(Entity, Position)>();
        world.Query(in query, (Entity e, ref Position p, ref Velocity _) => byLambda.Add((e, p)));
        var byStruct = new List<(Entity, Position)>();
        var collect = new CollectPositions(byStruct);
        world.InlineQuery<CollectPositions, Position>(in query, ref collect);
        var byChunk = new List<(Entity, Position)>();
        foreach (Chunk chunk in world.Query(in query))
        {
            Span<Position> positions = chunk.GetSpan<Position>();
            for (int i = 0; i < chunk.Count; i++) byChunk.Add((chunk.Entities[i], positions[i]));
        }

        Assert.That(byLambda, Has.Count.EqualTo(initial.Count));
        Assert.That(byStruct, Is.EqualTo(byLambda));
        Assert.That(byChunk, Is.EqualTo(byLambda));

        // Each form applies position.X += velocity.X once.
        world.Query(in query, (ref Position p, ref Velocity v) => p.X += v.X);
        var integrate = new Integrate();
        world.InlineQuery<Integrate, Position, Velocity>(in query, ref integrate);
        foreach (Chunk chunk in world.Query(in query))
        {
            Span<Position> positions = chunk.GetSpan<Position>();
            Span<Velocity> velocities = chunk.GetSpan<Velocity>();
            for (int i = 0; i < positions.Length; i++) positions[i].X += velocities[i].X;
        }

        Assert.That(integrate.Visited, Is.EqualTo(initial.Count), "state in the struct body is visible to the caller");
        foreach ((Entity e, (Position p, Velocity v)) in initial)
        {
            Assert.That(world.Get<Position>(e), Is.EqualTo(new Position(p.X + 3 * v.X, p.Y)), e.ToString());
        }
    }

    [Test]
    public void ChunksSplitLargeArchetypesAndPaddedSpansCoverWholeVectors()
    {
        using var world = new World();
        for (int i = 0; i < 10_000; i++) world.Create(new Health(i + 1), new Flag(1), new Velocity(1, 1, 1));
        var counts = new List<int>();
        int next = 1;
        foreach (Chunk chunk in world.Query(new QueryDescription().WithAll<Health>()))
        {
            counts.Add(chunk.Count);
            Span<Health> span = chunk.GetSpan<Health>();
            Span<Health> padded = chunk.GetPaddedSpan<Health>();
            Assert.That(span.Length, Is.EqualTo(chunk.Count));
            Assert.That(padded.Length * sizeof(int) % 64, Is.Zero);
            Assert.That(padded.Length - span.Length, Is.InRange(0, 15));
            Assert.That(chunk.GetPaddedSpan<Flag>().Length % 64, Is.Zero);
            Assert.That(chunk.GetPaddedSpan<Velocity>().Length * 12 % 64, Is.Zero);
            Assert.That(chunk.Has<Flag>() && !chunk.Has<Mass>(), Is.True);
            for (int i = 0; i < span.Length; i++) Assert.That(span[i].Value, Is.EqualTo(next++));
            for (int i = span.Length; i < padded.Length; i++) Assert.That(padded[i].Value, Is.Zero, "padding is zero until written");
        }
        Assert.That(counts, Is.EqualTo(new[] { Chunk.Capacity, Chunk.Capacity, 10_000 - 2 * Chunk.Capacity }));
    }

    [Test]
    public void WritingPaddingNeverLeaksIntoEntitiesCreatedLater()
    {
        using var world = new World();
        for (int i = 0; i < 10; i++) world.Create(new Health(i));
        foreach (Chunk chunk in world.Query(new QueryDescription().WithAll<Health>()))
        {
            chunk.GetPaddedSpan<Health>().Fill(new Health(-1));
        }
        Entity later = world.Create(new Health(42));
        Assert.That(world.Get<Health>(later).Value, Is.EqualTo(42));
        Entity moved = world.Create(new Mass(1));
        world.Add(moved, new Health(43));
        world.Remove<Mass>(moved);
        Assert.That(world.Get<Health>(moved).Value, Is.EqualTo(43));
    }

    [Test]
    public void StructuralChangesDuringAnyQueryFormThrowAndAreAllowedAfterwards()
    {
        using var world = new World();
        Entity e = world.Create(new Health(1));
        QueryDescription query = new QueryDescription().WithAll<Health>();
        var attempts = new Action[]
        {
            () => world.Create(),
            () => world.Create(new Mass(1)),
            () => world.Destroy(e),
            () => world.Add(e, new Mass(1)),
            () => world.Remove<Health>(e),
        };

        foreach (Action attempt in attempts)
        {
            var fromLambda = Assert.Throws<InvalidOperationException>(() => world.Query(in query, (ref Health _) => attempt()))!;
            Assert.That(fromLambda.Message, Does.Contain("while a query is running").And.Contain("CommandBuffer"));
            Assert.Throws<InvalidOperationException>(() => world.Query(in query, (Entity _, ref Health _) => attempt()));
            var body = new ActionBody(attempt);
            Assert.Throws<InvalidOperationException>(() => world.InlineQuery<ActionBody, Health>(in query, ref body));
            Assert.Throws<InvalidOperationException>(() =>
            {
                foreach (Chunk _ in world.Query(in query)) attempt();
            });
        }

        Assert.That(world.IsIterating, Is.False);
        Assert.That(world.Size, Is.EqualTo(1));
        Assert.That(world.Get<Health>(e).Value, Is.EqualTo(1));
        world.Add(e, new Mass(2));
        Assert.That(world.Has<Mass>(e), Is.True);
    }

    private struct ActionBody(Action action) : IForEach<Health>
    {
        public readonly void Update(Entity entity, ref Health c0) => action();
    }

    [Test]
    public void GetAndSetAreAllowedDuringAQueryAndBreakingOutOfForeachEndsIteration()
    {
        using var world = new World();
        Entity a = world.Create(new Health(1));
        Entity b = world.Create(new Health(2), new Mass(0));
        QueryDescription query = new QueryDescription().WithAll<Health>();

        world.Query(in query, (Entity e, ref Health h) => world.Set(b, new Mass(world.Get<Mass>(b).Value + h.Value)));
        Assert.That(world.Get<Mass>(b).Value, Is.EqualTo(3));

        foreach (Chunk _ in world.Query(in query)) break;
        Assert.That(world.IsIterating, Is.False);
        world.Destroy(a);
        Assert.That(world.Size, Is.EqualTo(1));
    }

    [Test]
    public void IteratingAComponentTheQueryDoesNotGuaranteeThrowsNamingIt()
    {
        using var world = new World();
        world.Create(new Health(1));
        var ex = Assert.Throws<InvalidOperationException>(() =>
            world.Query(new QueryDescription().WithAny<Health, Mass>(), (ref Mass _) => { }))!;
        Assert.That(ex.Message, Does.Contain("Mass").And.Contain("WithAll"));
        Assert.That(world.IsIterating, Is.False);
    }

    [Test]
    public void AChunkUsedAfterAStructuralChangeThrows()
    {
        using var world = new World();
        world.Create(new Health(1));
        Chunk kept = default;
        foreach (Chunk chunk in world.Query(new QueryDescription().WithAll<Health>())) kept = chunk;
        Assert.That(kept.GetSpan<Health>()[0].Value, Is.EqualTo(1));
        world.Create(new Health(2));
        Assert.Throws<InvalidOperationException>(() => kept.GetSpan<Health>());
    }

    [Test]
    public void InlineQueryAndChunkLoopDoNotAllocateAfterWarmUp()
    {
        using var world = new World();
        for (int i = 0; i < 1000; i++) world.Create(new Position(i, 0), new Velocity(1, 0, 0));
        QueryDescription query = new QueryDescription().WithAll<Position, Velocity>();
        var integrate = new Integrate();
        ForEach<Position, Velocity> lambda = static (ref Position p, ref Velocity v) => p.Y += v.X;

        void RunAll()
        {
            world.InlineQuery<Integrate, Position, Velocity>(in query, ref integrate);
            world.Query(in query, lambda);
            foreach (Chunk chunk in world.Query(in query))
            {
                Span<Position> positions = chunk.GetSpan<Position>();
                foreach (ref Position p in positions) p.X += 1;
            }
        }

        RunAll();
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 10; i++) RunAll();
        Assert.That(GC.GetAllocatedBytesForCurrentThread() - before, Is.Zero);
        Assert.That(integrate.Visited, Is.EqualTo(11_000));
    }

    [Test]
    public void QueriesMayRunOnSeveralThreadsAtOnce()
    {
        using var world = new World();
        for (int i = 0; i < 2000; i++) world.Create(new Health(i), new Mass(i));
        long expected = 1999L * 2000 / 2;
        var sums = new long[8];

        Parallel.For(0, sums.Length, t =>
        {
            // Half the threads use a description no one used before, so the cache is filled concurrently.
            QueryDescription query = t % 2 == 0
                ? new QueryDescription().WithAll<Health>()
                : new QueryDescription().WithAll<Health, Mass>().WithNone<Flag>();
            long sum = 0;
            foreach (Chunk chunk in world.Query(in query))
            {
                foreach (Health h in chunk.GetSpan<Health>()) sum += h.Value;
            }
            sums[t] = sum;
        });

        Assert.That(sums, Is.All.EqualTo(expected));
        Assert.That(world.IsIterating, Is.False);
    }
}
