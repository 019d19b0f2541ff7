using EcsNeural.Ecs;
using EcsNeural.Tests.Support;

namespace EcsNeural.Tests.Ecs;

/// <summary>
/// Drives a world through a long fixed-seed random sequence of create / destroy / add / remove / set
/// (including invalid calls that must throw) and compares it with a plain dictionary model after
/// every step, so any archetype move that disturbs another entity's data is caught where it happens.
/// </summary>
public class RandomOperationsModelTests
{
    private const int ComponentKinds = 6;

    private interface IComponentVisitor
    {
        void Visit<T>() where T : unmanaged, ISeeded<T>, IEquatable<T>;
    }

    private static void Visit<TVisitor>(int kind, ref TVisitor visitor) where TVisitor : struct, IComponentVisitor
    {
        switch (kind)
        {
            case 0: visitor.Visit<Position>(); break;
            case 1: visitor.Visit<Velocity>(); break;
            case 2: visitor.Visit<Health>(); break;
            case 3: visitor.Visit<Mass>(); break;
            case 4: visitor.Visit<Flag>(); break;
            default: visitor.Visit<Big>(); break;
        }
    }

    private struct AddVisitor(World world, Entity entity, int seed) : IComponentVisitor
    {
        public void Visit<T>() where T : unmanaged, ISeeded<T>, IEquatable<T> => world.Add(entity, T.FromSeed(seed));
    }

    private struct RemoveVisitor(World world, Entity entity) : IComponentVisitor
    {
        public void Visit<T>() where T : unmanaged, ISeeded<T>, IEquatable<T> => world.Remove<T>(entity);
    }

    private struct SetVisitor(World world, Entity entity, int seed) : IComponentVisitor
    {
        public void Visit<T>() where T : unmanaged, ISeeded<T>, IEquatable<T> => world.Set(entity, T.FromSeed(seed));
    }

    /// <summary>Checks Has/Get/TryGet against the model's seed (null = absent) and counts matching entities.</summary>
    private struct CheckVisitor(World world, Entity entity, int? seed) : IComponentVisitor
    {
        public string? Failure;

        public void Visit<T>() where T : unmanaged, ISeeded<T>, IEquatable<T>
        {
            bool has = world.Has<T>(entity);
            if (has != seed.HasValue)
            {
                Failure = $"{entity} Has<{typeof(T).Name}> = {has}, model says {seed.HasValue}";
                return;
            }
            if (seed is int s && !world.Get<T>(entity).Equals(T.FromSeed(s)))
            {
                Failure = $"{entity} {typeof(T).Name} = {world.Get<T>(entity)}, model says {T.FromSeed(s)}";
            }
        }
    }

    private struct CountVisitor(World world) : IComponentVisitor
    {
        public int Count;

        public void Visit<T>() where T : unmanaged, ISeeded<T>, IEquatable<T> =>
            Count = world.CountEntities(new QueryDescription().WithAll<T>());
    }

    [Slow]
    [Test]
    public void FiveThousandRandomStepsMatchADictionaryModel()
    {
        var random = new Random(20261126);
        using var world = new World();
        var model = new Dictionary<Entity, int?[]>();
        var alive = new List<Entity>();
        var dead = new List<Entity>();
        int expectedFailures = 0;

        for (int step = 0; step < 5000; step++)
        {
            int seed = step * 16;
            int op = random.Next(100);
            int kind = random.Next(ComponentKinds);
            if (alive.Count == 0 || op < (alive.Count < 150 ? 30 : 15))
            {
                Entity created = CreateRandom(world, random, seed, out int?[] components);
                Assert.That(model.ContainsKey(created), Is.False, $"step {step}: reused a live handle");
                model[created] = components;
                alive.Add(created);
            }
            else if (op < 45)
            {
                int index = random.Next(alive.Count);
                Entity victim = alive[index];
                world.Destroy(victim);
                model.Remove(victim);
                alive[index] = alive[^1];
                alive.RemoveAt(alive.Count - 1);
                dead.Add(victim);
            }
            else if (op < 92 && alive.Count > 0)
            {
                Entity target = alive[random.Next(alive.Count)];
                int?[] components = model[target];
                bool present = components[kind].HasValue;
                if (op < 62)
                {
                    var add = new AddVisitor(world, target, seed);
                    if (present) { expectedFailures++; Assert.Throws<InvalidOperationException>(() => Visit(kind, ref add)); }
                    else { Visit(kind, ref add); components[kind] = seed; }
                }
                else if (op < 77)
                {
                    var remove = new RemoveVisitor(world, target);
                    if (!present) { expectedFailures++; Assert.Throws<InvalidOperationException>(() => Visit(kind, ref remove)); }
                    else { Visit(kind, ref remove); components[kind] = null; }
                }
                else
                {
                    var set = new SetVisitor(world, target, seed);
                    if (!present) { expectedFailures++; Assert.Throws<InvalidOperationException>(() => Visit(kind, ref set)); }
                    else { Visit(kind, ref set); components[kind] = seed; }
                }
            }
            else if (dead.Count > 0)
            {
                Entity stale = dead[random.Next(dead.Count)];
                var add = new AddVisitor(world, stale, seed);
                expectedFailures++;
                Assert.Throws<InvalidOperationException>(() => Visit(kind, ref add));
                Assert.Throws<InvalidOperationException>(() => world.Destroy(stale));
            }

            CheckAgainstModel(world, model, dead, step);
        }

        Assert.That(expectedFailures, Is.GreaterThan(100), "the sequence should exercise the failure paths");
        Assert.That(world.ArchetypeCount, Is.GreaterThan(20), "the sequence should visit many archetypes");
    }

    private static Entity CreateRandom(World world, Random random, int seed, out int?[] components)
    {
        components = new int?[ComponentKinds];
        switch (random.Next(3))
        {
            case 0:
                return world.Create();
            case 1:
                components[2] = seed + 1;
                return world.Create(Health.FromSeed(seed + 1));
            default:
                components[0] = seed + 2;
                components[5] = seed + 3;
                return world.Create(Position.FromSeed(seed + 2), Big.FromSeed(seed + 3));
        }
    }

    private static void CheckAgainstModel(World world, Dictionary<Entity, int?[]> model, List<Entity> dead, int step)
    {
        Assert.That(world.Size, Is.EqualTo(model.Count), $"step {step}: Size");
        var counts = new int[ComponentKinds];
        foreach ((Entity entity, int?[] components) in model)
        {
            Assert.That(world.IsAlive(entity), $"step {step}: {entity} should be alive");
            for (int kind = 0; kind < ComponentKinds; kind++)
            {
                var check = new CheckVisitor(world, entity, components[kind]);
                Visit(kind, ref check);
                if (check.Failure != null) Assert.Fail($"step {step}: {check.Failure}");
                if (components[kind].HasValue) counts[kind]++;
            }
        }
        for (int kind = 0; kind < ComponentKinds; kind++)
        {
            var count = new CountVisitor(world);
            Visit(kind, ref count);
            Assert.That(count.Count, Is.EqualTo(counts[kind]), $"step {step}: count of component kind {kind}");
        }
        for (int i = Math.Max(0, dead.Count - 8); i < dead.Count; i++)
        {
            Assert.That(world.IsAlive(dead[i]), Is.False, $"step {step}: {dead[i]} should be dead");
        }
    }
}
