using EcsNeural.Ecs;

namespace EcsNeural.Tests.Ecs;

/// <summary>
/// Every generated arity, 1 to 8 components, of <c>Create</c>, the three query forms, <c>WithAll/WithAny/WithNone</c> and
/// <c>Chunk.GetSpans</c>, over archetypes of every size from 0 to 9 rows (around the struct loop's four-row step).
/// Components C0..C7 are Health, Position, Velocity, Mass, Flag, Big, Heading, Team (sizes 4, 8, 12, 8, 1, 40, 4, 2).
/// </summary>
public class ArityTests
{
    private const int Arities = 8;
    private const int Full = 9;   // entities with all eight components, split over two archetypes

    private record struct Marker(byte Value);

    private enum Form { Lambda, LambdaWithEntity, Struct }

    /// <summary>
    /// The model: each entity's component count and the seed its component k was last written from. Bodies check each
    /// column they get against it, then write a seed of the current pass, so a misaligned column, a skipped or repeated row,
    /// or a write that did not land shows up in a later pass.
    /// </summary>
    private sealed class Model
    {
        public readonly List<Entity> Entities = [];
        public readonly List<int> ComponentCounts = [];
        public readonly List<int[]> Seeds = [];
        public int Pass;
        private List<int> _expectedOrder = [];
        private int _visited;

        public static int Seed(int pass, int index, int k) => pass * 128 + index * 8 + k;   // unique per pass, also as a byte

        public void Add(Entity entity, int components)
        {
            int index = Entities.Count;
            Entities.Add(entity);
            ComponentCounts.Add(components);
            Seeds.Add(Enumerable.Range(0, Arities).Select(k => Seed(0, index, k)).ToArray());
        }

        public void BeginPass(List<int> order)
        {
            Pass++;
            _expectedOrder = order;
            _visited = 0;
        }

        public void EndPass(string what) => Assert.That(_visited, Is.EqualTo(_expectedOrder.Count), $"{what}: rows visited");

        /// <summary>The model index of the next row; checks the entity when the form passes one (not Entity.Null).</summary>
        public int Next(Entity entity)
        {
            Assert.That(_visited, Is.LessThan(_expectedOrder.Count), "more rows visited than match");
            int index = _expectedOrder[_visited++];
            if (entity != Entity.Null) Assert.That(entity, Is.EqualTo(Entities[index]), $"row {_visited - 1}");
            return index;
        }

        public void See<T>(ref T column, int index, int k) where T : unmanaged, ISeeded<T>
        {
            Assert.That(column, Is.EqualTo(T.FromSeed(Seeds[index][k])), $"component {k} of entity {index}");
            Seeds[index][k] = Seed(Pass, index, k);
            column = T.FromSeed(Seeds[index][k]);
        }
    }

    private readonly struct See(Model m) :
        IForEach<Health>,
        IForEach<Health, Position>,
        IForEach<Health, Position, Velocity>,
        IForEach<Health, Position, Velocity, Mass>,
        IForEach<Health, Position, Velocity, Mass, Flag>,
        IForEach<Health, Position, Velocity, Mass, Flag, Big>,
        IForEach<Health, Position, Velocity, Mass, Flag, Big, Heading>,
        IForEach<Health, Position, Velocity, Mass, Flag, Big, Heading, Team>
    {
        public void Update(Entity e, ref Health c0) => Row(m.Next(e), ref c0);

        public void Update(Entity e, ref Health c0, ref Position c1) => Row(m.Next(e), ref c0, ref c1);

        public void Update(Entity e, ref Health c0, ref Position c1, ref Velocity c2) => Row(m.Next(e), ref c0, ref c1, ref c2);

        public void Update(Entity e, ref Health c0, ref Position c1, ref Velocity c2, ref Mass c3) =>
            Row(m.Next(e), ref c0, ref c1, ref c2, ref c3);

        public void Update(Entity e, ref Health c0, ref Position c1, ref Velocity c2, ref Mass c3, ref Flag c4)
        {
            int i = m.Next(e);
            Row(i, ref c0, ref c1, ref c2, ref c3);
            m.See(ref c4, i, 4);
        }

        public void Update(Entity e, ref Health c0, ref Position c1, ref Velocity c2, ref Mass c3, ref Flag c4, ref Big c5)
        {
            int i = m.Next(e);
            Row(i, ref c0, ref c1, ref c2, ref c3);
            m.See(ref c4, i, 4);
            m.See(ref c5, i, 5);
        }

        public void Update(Entity e, ref Health c0, ref Position c1, ref Velocity c2, ref Mass c3, ref Flag c4, ref Big c5, ref Heading c6)
        {
            int i = m.Next(e);
            Row(i, ref c0, ref c1, ref c2, ref c3);
            m.See(ref c4, i, 4);
            m.See(ref c5, i, 5);
            m.See(ref c6, i, 6);
        }

        public void Update(Entity e, ref Health c0, ref Position c1, ref Velocity c2, ref Mass c3, ref Flag c4, ref Big c5, ref Heading c6, ref Team c7)
        {
            int i = m.Next(e);
            Row(i, ref c0, ref c1, ref c2, ref c3);
            m.See(ref c4, i, 4);
            m.See(ref c5, i, 5);
            m.See(ref c6, i, 6);
            m.See(ref c7, i, 7);
        }

        private void Row(int i, ref Health c0) => m.See(ref c0, i, 0);

        private void Row(int i, ref Health c0, ref Position c1)
        {
            Row(i, ref c0);
            m.See(ref c1, i, 1);
        }

        private void Row(int i, ref Health c0, ref Position c1, ref Velocity c2)
        {
            Row(i, ref c0, ref c1);
            m.See(ref c2, i, 2);
        }

        private void Row(int i, ref Health c0, ref Position c1, ref Velocity c2, ref Mass c3)
        {
            Row(i, ref c0, ref c1, ref c2);
            m.See(ref c3, i, 3);
        }
    }

    // WithAll of the first n components, one description per generated arity.
    private static readonly QueryDescription[] FirstN =
    [
        new QueryDescription().WithAll<Health>(),
        new QueryDescription().WithAll<Health, Position>(),
        new QueryDescription().WithAll<Health, Position, Velocity>(),
        new QueryDescription().WithAll<Health, Position, Velocity, Mass>(),
        new QueryDescription().WithAll<Health, Position, Velocity, Mass, Flag>(),
        new QueryDescription().WithAll<Health, Position, Velocity, Mass, Flag, Big>(),
        new QueryDescription().WithAll<Health, Position, Velocity, Mass, Flag, Big, Heading>(),
        new QueryDescription().WithAll<Health, Position, Velocity, Mass, Flag, Big, Heading, Team>(),
    ];

    private static void Run(World world, int arity, Form form, See see)
    {
        ref readonly QueryDescription q = ref FirstN[arity - 1];
        switch (arity, form)
        {
            case (1, Form.Lambda): world.Query(in q, (ref Health a) => see.Update(Entity.Null, ref a)); break;
            case (1, Form.LambdaWithEntity): world.Query<Health>(in q, see.Update); break;
            case (1, _): world.InlineQuery<See, Health>(in q, ref see); break;
            case (2, Form.Lambda): world.Query(in q, (ref Health a, ref Position b) => see.Update(Entity.Null, ref a, ref b)); break;
            case (2, Form.LambdaWithEntity): world.Query<Health, Position>(in q, see.Update); break;
            case (2, _): world.InlineQuery<See, Health, Position>(in q, ref see); break;
            case (3, Form.Lambda): world.Query(in q, (ref Health a, ref Position b, ref Velocity c) => see.Update(Entity.Null, ref a, ref b, ref c)); break;
            case (3, Form.LambdaWithEntity): world.Query<Health, Position, Velocity>(in q, see.Update); break;
            case (3, _): world.InlineQuery<See, Health, Position, Velocity>(in q, ref see); break;
            case (4, Form.Lambda):
                world.Query(in q, (ref Health a, ref Position b, ref Velocity c, ref Mass d) => see.Update(Entity.Null, ref a, ref b, ref c, ref d));
                break;
            case (4, Form.LambdaWithEntity): world.Query<Health, Position, Velocity, Mass>(in q, see.Update); break;
            case (4, _): world.InlineQuery<See, Health, Position, Velocity, Mass>(in q, ref see); break;
            case (5, Form.Lambda):
                world.Query(in q, (ref Health a, ref Position b, ref Velocity c, ref Mass d, ref Flag e) =>
                    see.Update(Entity.Null, ref a, ref b, ref c, ref d, ref e));
                break;
            case (5, Form.LambdaWithEntity): world.Query<Health, Position, Velocity, Mass, Flag>(in q, see.Update); break;
            case (5, _): world.InlineQuery<See, Health, Position, Velocity, Mass, Flag>(in q, ref see); break;
            case (6, Form.Lambda):
                world.Query(in q, (ref Health a, ref Position b, ref Velocity c, ref Mass d, ref Flag e, ref Big f) =>
                    see.Update(Entity.Null, ref a, ref b, ref c, ref d, ref e, ref f));
                break;
            case (6, Form.LambdaWithEntity): world.Query<Health, Position, Velocity, Mass, Flag, Big>(in q, see.Update); break;
            case (6, _): world.InlineQuery<See, Health, Position, Velocity, Mass, Flag, Big>(in q, ref see); break;
            case (7, Form.Lambda):
                world.Query(in q, (ref Health a, ref Position b, ref Velocity c, ref Mass d, ref Flag e, ref Big f, ref Heading g) =>
                    see.Update(Entity.Null, ref a, ref b, ref c, ref d, ref e, ref f, ref g));
                break;
            case (7, Form.LambdaWithEntity): world.Query<Health, Position, Velocity, Mass, Flag, Big, Heading>(in q, see.Update); break;
            case (7, _): world.InlineQuery<See, Health, Position, Velocity, Mass, Flag, Big, Heading>(in q, ref see); break;
            case (8, Form.Lambda):
                world.Query(in q, (ref Health a, ref Position b, ref Velocity c, ref Mass d, ref Flag e, ref Big f, ref Heading g, ref Team h) =>
                    see.Update(Entity.Null, ref a, ref b, ref c, ref d, ref e, ref f, ref g, ref h));
                break;
            case (8, Form.LambdaWithEntity): world.Query<Health, Position, Velocity, Mass, Flag, Big, Heading, Team>(in q, see.Update); break;
            default: world.InlineQuery<See, Health, Position, Velocity, Mass, Flag, Big, Heading, Team>(in q, ref see); break;
        }
    }

    /// <summary>
    /// Nine entities with all eight components, the first <paramref name="first"/> in one archetype and the rest in a second
    /// (they also carry a Marker), then one entity with each smaller component count 1..7, each made by that arity's Create.
    /// </summary>
    private static World Populate(int first, Model model)
    {
        var world = new World();
        for (int i = 0; i < Full; i++)
        {
            int[] s = Enumerable.Range(0, Arities).Select(k => Model.Seed(0, i, k)).ToArray();
            Entity e = world.Create(Health.FromSeed(s[0]), Position.FromSeed(s[1]), Velocity.FromSeed(s[2]), Mass.FromSeed(s[3]),
                Flag.FromSeed(s[4]), Big.FromSeed(s[5]), Heading.FromSeed(s[6]), Team.FromSeed(s[7]));
            if (i >= first) world.Add(e, new Marker(1));
            model.Add(e, Arities);
        }
        for (int n = 1; n < Arities; n++)
        {
            int index = model.Entities.Count;
            int S(int k) => Model.Seed(0, index, k);
            Entity e = n switch
            {
                1 => world.Create(Health.FromSeed(S(0))),
                2 => world.Create(Health.FromSeed(S(0)), Position.FromSeed(S(1))),
                3 => world.Create(Health.FromSeed(S(0)), Position.FromSeed(S(1)), Velocity.FromSeed(S(2))),
                4 => world.Create(Health.FromSeed(S(0)), Position.FromSeed(S(1)), Velocity.FromSeed(S(2)), Mass.FromSeed(S(3))),
                5 => world.Create(Health.FromSeed(S(0)), Position.FromSeed(S(1)), Velocity.FromSeed(S(2)), Mass.FromSeed(S(3)), Flag.FromSeed(S(4))),
                6 => world.Create(Health.FromSeed(S(0)), Position.FromSeed(S(1)), Velocity.FromSeed(S(2)), Mass.FromSeed(S(3)), Flag.FromSeed(S(4)),
                    Big.FromSeed(S(5))),
                _ => world.Create(Health.FromSeed(S(0)), Position.FromSeed(S(1)), Velocity.FromSeed(S(2)), Mass.FromSeed(S(3)), Flag.FromSeed(S(4)),
                    Big.FromSeed(S(5)), Heading.FromSeed(S(6))),
            };
            model.Add(e, n);
        }
        return world;
    }

    [Test]
    public void EveryQueryFormOfEveryArityVisitsEachMatchingRowOnceWithItsOwnColumnsWhateverTheArchetypeSizes()
    {
        for (int first = 0; first <= Full; first++)
        {
            var model = new Model();
            using World world = Populate(first, model);
            var see = new See(model);
            for (int arity = 1; arity <= Arities; arity++)
            {
                // Archetypes in creation order: the full entities without Marker, those with it, then one per smaller count.
                List<int> order = [.. Enumerable.Range(0, first), .. Enumerable.Range(first, Full - first),
                    .. Enumerable.Range(Full, Arities - 1).Where(i => model.ComponentCounts[i] >= arity)];
                foreach (Form form in Enum.GetValues<Form>())
                {
                    model.BeginPass(order);
                    Run(world, arity, form, see);
                    model.EndPass($"{form} of arity {arity}, {first} + {Full - first} full entities");
                }
            }
            Assert.That(world.IsIterating, Is.False);
        }
    }

    [Test]
    public void CreateOfEveryArityPutsEachComponentInItsOwnColumn()
    {
        var model = new Model();
        using World world = Populate(4, model);
        for (int i = 0; i < model.Entities.Count; i++)
        {
            Entity e = model.Entities[i];
            int[] s = model.Seeds[i];
            int n = model.ComponentCounts[i];
            Assert.That(new[] { world.Has<Health>(e), world.Has<Position>(e), world.Has<Velocity>(e), world.Has<Mass>(e),
                world.Has<Flag>(e), world.Has<Big>(e), world.Has<Heading>(e), world.Has<Team>(e) },
                Is.EqualTo(Enumerable.Range(0, Arities).Select(k => k < n)), $"entity {i}'s components");
            Assert.That(world.Get<Health>(e), Is.EqualTo(Health.FromSeed(s[0])));
            if (n > 1) Assert.That(world.Get<Position>(e), Is.EqualTo(Position.FromSeed(s[1])));
            if (n > 2) Assert.That(world.Get<Velocity>(e), Is.EqualTo(Velocity.FromSeed(s[2])));
            if (n > 3) Assert.That(world.Get<Mass>(e), Is.EqualTo(Mass.FromSeed(s[3])));
            if (n > 4) Assert.That(world.Get<Flag>(e), Is.EqualTo(Flag.FromSeed(s[4])));
            if (n > 5) Assert.That(world.Get<Big>(e), Is.EqualTo(Big.FromSeed(s[5])));
            if (n > 6) Assert.That(world.Get<Heading>(e), Is.EqualTo(Heading.FromSeed(s[6])));
            if (n > 7) Assert.That(world.Get<Team>(e), Is.EqualTo(Team.FromSeed(s[7])));
        }
        // Two archetypes of full entities (with and without Marker), one per smaller count, and the empty one.
        Assert.That(world.ArchetypeCount, Is.EqualTo(2 + (Arities - 1) + 1));

        int sizeBefore = world.Size;
        var twice = Assert.Throws<ArgumentException>(() => world.Create(new Health(1), new Position(), new Velocity(), new Mass(),
            new Flag(), new Big(), new Heading(), new Health(2)))!;
        Assert.That(twice.Message, Does.Contain(nameof(Health)).And.Contain("twice"));
        Assert.That(world.Size, Is.EqualTo(sizeBefore), "a refused create adds nothing");
    }

    [Test]
    public void WithAnyAndWithNoneOfEveryArityMatchByComponentCount()
    {
        var model = new Model();
        using World world = Populate(5, model);
        // The last n components: an entity with m of the eight (always the first m) has one of them when m > 8 - n.
        QueryDescription[] anyOfLastN =
        [
            new QueryDescription().WithAny<Team>(),
            new QueryDescription().WithAny<Heading, Team>(),
            new QueryDescription().WithAny<Big, Heading, Team>(),
            new QueryDescription().WithAny<Flag, Big, Heading, Team>(),
            new QueryDescription().WithAny<Mass, Flag, Big, Heading, Team>(),
            new QueryDescription().WithAny<Velocity, Mass, Flag, Big, Heading, Team>(),
            new QueryDescription().WithAny<Position, Velocity, Mass, Flag, Big, Heading, Team>(),
            new QueryDescription().WithAny<Health, Position, Velocity, Mass, Flag, Big, Heading, Team>(),
        ];
        QueryDescription[] noneOfLastN =
        [
            new QueryDescription().WithNone<Team>(),
            new QueryDescription().WithNone<Heading, Team>(),
            new QueryDescription().WithNone<Big, Heading, Team>(),
            new QueryDescription().WithNone<Flag, Big, Heading, Team>(),
            new QueryDescription().WithNone<Mass, Flag, Big, Heading, Team>(),
            new QueryDescription().WithNone<Velocity, Mass, Flag, Big, Heading, Team>(),
            new QueryDescription().WithNone<Position, Velocity, Mass, Flag, Big, Heading, Team>(),
            new QueryDescription().WithNone<Health, Position, Velocity, Mass, Flag, Big, Heading, Team>(),
        ];
        for (int n = 1; n <= Arities; n++)
        {
            int any = model.ComponentCounts.Count(m => m > Arities - n);
            Assert.That(world.CountEntities(anyOfLastN[n - 1]), Is.EqualTo(any), $"WithAny of the last {n}");
            Assert.That(world.CountEntities(noneOfLastN[n - 1]), Is.EqualTo(model.Entities.Count - any), $"WithNone of the last {n}");
            Assert.That(world.CountEntities(FirstN[n - 1]), Is.EqualTo(model.ComponentCounts.Count(m => m >= n)), $"WithAll of the first {n}");
        }
    }

    [Test]
    public void GetSpansOfEveryArityAreTheChunksOwnColumns()
    {
        var model = new Model();
        using World world = Populate(3, model);
        int rows = 0;
        foreach (Chunk chunk in world.Query(in FirstN[Arities - 1]))
        {
            var (h, p, v, m, f, b, hd, t) = chunk.GetSpans<Health, Position, Velocity, Mass, Flag, Big, Heading, Team>();
            Assert.That(h == chunk.GetSpan<Health>() && p == chunk.GetSpan<Position>() && v == chunk.GetSpan<Velocity>()
                && m == chunk.GetSpan<Mass>() && f == chunk.GetSpan<Flag>() && b == chunk.GetSpan<Big>()
                && hd == chunk.GetSpan<Heading>() && t == chunk.GetSpan<Team>(), Is.True, "the eight spans are the chunk's columns");
            Assert.That(chunk.GetSpans<Health, Position>().Span1 == p, Is.True);
            Assert.That(chunk.GetSpans<Health, Position, Velocity>().Span2 == v, Is.True);
            Assert.That(chunk.GetSpans<Health, Position, Velocity, Mass>().Span3 == m, Is.True);
            Assert.That(chunk.GetSpans<Health, Position, Velocity, Mass, Flag>().Span4 == f, Is.True);
            Assert.That(chunk.GetSpans<Health, Position, Velocity, Mass, Flag, Big>().Span5 == b, Is.True);
            Assert.That(chunk.GetSpans<Health, Position, Velocity, Mass, Flag, Big, Heading>().Span6 == hd, Is.True);
            Assert.That(chunk.GetSpans<Team, Health>().Span0 == t, Is.True, "any order of types");
            for (int r = 0; r < chunk.Count; r++)
            {
                int i = model.Entities.IndexOf(chunk.Entities[r]);
                Assert.That(t[r], Is.EqualTo(Team.FromSeed(model.Seeds[i][7])), $"row {r}");
                rows++;
            }
        }
        Assert.That(rows, Is.EqualTo(Full));

        foreach (Chunk chunk in world.Query(in FirstN[0]))
        {
            if (chunk.Has<Team>()) continue;
            var ex = Assert.Throws<InvalidOperationException>(() => chunk.GetSpans<Health, Team>())!;
            Assert.That(ex.Message, Does.Contain(nameof(Team)));
        }
    }
}
