using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using EcsNeural.Ecs;
using EcsNeural.Ecs.Buffers;
using EcsNeural.Ecs.Jobs;
using EcsNeural.Tests.Support;

namespace EcsNeural.Tests.Ecs;

/// <summary>A component with one buffer of floats.</summary>
public struct Samples : IBufferOwner
{
    public ValueBuffer<float> Values;

    public Samples(ReadOnlySpan<float> values) => Values.Set(values);

    void IBufferOwner.VisitBuffers<TVisitor>(ref TVisitor visitor) => visitor.Visit(ref Values);
}

/// <summary>A component with two buffers of different element types.</summary>
public struct Route : IBufferOwner
{
    public ValueBuffer<int> Stops;
    public ValueBuffer<double> Times;

    void IBufferOwner.VisitBuffers<TVisitor>(ref TVisitor visitor)
    {
        visitor.Visit(ref Stops);
        visitor.Visit(ref Times);
    }
}

/// <summary>A component that holds a buffer but does not say so: the world must refuse it.</summary>
public struct Unannounced
{
    public int Id;
    public ValueBuffer<float> Hidden;
}

/// <summary>
/// Per-entity values of any length: inline when short, pooled beyond, owned by the world's cells, released with their
/// entity, component or world, written in place from parallel jobs.
/// </summary>
public class ValueBufferTests
{
    private static float[] Ramp(int length, float from) => [.. Enumerable.Range(0, length).Select(k => from + k)];

    /// <summary>Finalizers of worlds other tests dropped would move the process-wide counters mid-test: run them first.</summary>
    private static (int Slots, long Bytes) SettledStorage()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        return (BufferStorage.LiveSlots, BufferStorage.LiveBytes);
    }

    [Test]
    public void ValuesOfAnyLengthReadBackAsWritten()
    {
        int inline = ValueBuffer<float>.InlineCapacity;
        Assert.That(inline, Is.EqualTo(29));
        Assert.That(Unsafe.SizeOf<ValueBuffer<float>>(), Is.EqualTo(128));
        var samples = new Samples();
        foreach (int length in new[] { 0, 1, inline, inline + 1, 1000, 100_000, 3 })
        {
            float[] values = Ramp(length, length);
            samples.Values.Set(values);
            Assert.That(samples.Values.Length, Is.EqualTo(length));
            Assert.That(samples.Values.AsReadOnlySpan().ToArray(), Is.EqualTo(values), $"length {length}");
            Assert.That(samples.Values.AsSpan().ToArray(), Is.EqualTo(values), $"length {length}");
        }
        Assert.That(new Route().Stops.Length, Is.Zero);
        Assert.That(ValueBuffer<double>.InlineCapacity, Is.EqualTo(14));
    }

    [Test]
    public void EntitiesKeepTheirValuesThroughArchetypeMovesSwapRemovalAndColumnGrowth()
    {
        using var world = new World();
        var entities = new List<(Entity Entity, float[] Values)>();
        for (int i = 0; i < 300; i++)   // columns grow 64 → 128 → 256 → 512 under them
        {
            float[] values = Ramp(i % 3 == 0 ? 5 : 40 + i, i * 1000);
            entities.Add((world.Create(new Samples(values), new Health(i)), values));
        }
        for (int i = 0; i < entities.Count; i += 4)
            world.Add(entities[i].Entity, new Position(i, i));
        for (int i = 0; i < entities.Count; i += 8)
            world.Remove<Health>(entities[i].Entity);
        for (int i = entities.Count - 1; i >= 0; i -= 5)
        {
            world.Destroy(entities[i].Entity);
            entities.RemoveAt(i);
        }

        foreach ((Entity entity, float[] values) in entities)
            Assert.That(world.Get<Samples>(entity).Values.AsReadOnlySpan().ToArray(), Is.EqualTo(values), $"{entity}");
    }

    [Test]
    public void DestroyRemoveOverwriteAndDisposeReleaseTheStorage()
    {
        (int slots, long bytes) = SettledStorage();
        var world = new World();
        var entities = new Entity[100];
        for (int i = 0; i < entities.Length; i++)
        {
            var route = new Route();
            route.Stops.Set([.. Enumerable.Range(0, 50 + i)]);
            route.Times.Set(new double[3]);
            entities[i] = world.Create(new Samples(Ramp(100, i)), route);
        }
        Assert.That(BufferStorage.LiveSlots - slots, Is.EqualTo(300), "a slot per cell of each buffer");
        Assert.That(BufferStorage.LiveBytes - bytes, Is.GreaterThanOrEqualTo(100 * (100 * 4 + 50 * 4)));

        for (int i = 0; i < 50; i++)
            world.Destroy(entities[i]);
        Assert.That(BufferStorage.LiveSlots - slots, Is.EqualTo(150), "destroyed entities return their slots");
        for (int i = 50; i < 75; i++)
            world.Remove<Route>(entities[i]);
        Assert.That(BufferStorage.LiveSlots - slots, Is.EqualTo(100), "removed components return theirs");
        long beforeOverwrite = BufferStorage.LiveBytes;
        for (int i = 50; i < 100; i++)
            world.Set(entities[i], new Samples(Ramp(30, -i)));
        Assert.That(BufferStorage.LiveSlots - slots, Is.EqualTo(100), "an overwritten value's slot is released, the new one taken over");
        Assert.That(world.Get<Samples>(entities[60]).Values.AsReadOnlySpan().ToArray(), Is.EqualTo(Ramp(30, -60)));
        for (int i = 50; i < 100; i++)
            world.Set(entities[i], new Samples([1, 2]));   // inline now: the long blocks go
        Assert.That(BufferStorage.LiveBytes, Is.LessThan(beforeOverwrite - 50 * 100 * 4 + 1));

        world.Dispose();
        Assert.That((BufferStorage.LiveSlots, BufferStorage.LiveBytes), Is.EqualTo((slots, bytes)), "disposing returns the rest");
    }

    [Test]
    public void AWorldDroppedWithoutDisposeReturnsItsStorage()
    {
        (int slots, long bytes) = SettledStorage();
        FillAndDropAWorld();
        Assert.That(BufferStorage.LiveSlots, Is.GreaterThan(slots), "the dropped world still holds its storage until collected");

        Assert.That(SettledStorage(), Is.EqualTo((slots, bytes)));
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void FillAndDropAWorld()
    {
        var world = new World();
        for (int i = 0; i < 10; i++)
            world.Create(new Samples(Ramp(200, i)));
    }

    [Test]
    public void AValueMadeOutsideAWorldIsTakenOverAndACopyOfACellsValueIsCopied()
    {
        (int slots, _) = SettledStorage();
        using var world = new World();
        var loose = new Samples(Ramp(64, 0));
        Assert.That(BufferStorage.LiveSlots - slots, Is.EqualTo(1));
        Entity first = world.Create(loose);
        Assert.That(BufferStorage.LiveSlots - slots, Is.EqualTo(1), "taken over, not copied");

        Entity second = world.Create(world.Get<Samples>(first));
        Entity third = world.Create(loose);   // the loose value now shares the first cell's storage: copied too
        Assert.That(BufferStorage.LiveSlots - slots, Is.EqualTo(3));
        world.Get<Samples>(first).Values.AsSpan().Fill(7);
        Assert.That(world.Get<Samples>(second).Values.AsReadOnlySpan().ToArray(), Is.EqualTo(Ramp(64, 0)));
        Assert.That(world.Get<Samples>(third).Values.AsReadOnlySpan().ToArray(), Is.EqualTo(Ramp(64, 0)));

        ref Samples cell = ref world.Get<Samples>(second);
        world.Set(second, cell);   // a cell set to itself keeps its values and holds one slot
        Assert.That(world.Get<Samples>(second).Values.AsReadOnlySpan().ToArray(), Is.EqualTo(Ramp(64, 0)));
        Assert.That(BufferStorage.LiveSlots - slots, Is.EqualTo(3));
    }

    [Test]
    public void AStaleCopyThrowsAndIsRefusedBeforeAnythingChanges()
    {
        using var world = new World();
        Entity source = world.Create(new Samples(Ramp(50, 0)));
        Entity other = world.Create(new Health(1));
        Samples copy = world.Get<Samples>(source);
        world.Destroy(source);

        Assert.That(() => copy.Values.AsReadOnlySpan().ToArray(), Throws.InvalidOperationException
            .With.Message.Contains("ValueBuffer<Single> of 50 values").And.Message.Contains("released"));
        Assert.That(() => world.Create(copy), Throws.InvalidOperationException.With.Message.Contains("Cannot store this Samples"));
        Assert.That(() => world.Add(other, copy), Throws.InvalidOperationException.With.Message.Contains("Cannot store this Samples"));
        Assert.That(() => new CommandBuffer().Add(0, other, copy), Throws.InvalidOperationException.With.Message.Contains("released"));
        Assert.That((world.Size, world.Has<Samples>(other)), Is.EqualTo((1, false)), "nothing changed");

        copy.Values.Set([1, 2, 3]);   // a fresh write makes it a usable value again
        world.Add(other, copy);
        Assert.That(world.Get<Samples>(other).Values.AsReadOnlySpan().ToArray(), Is.EqualTo(new float[] { 1, 2, 3 }));
    }

    [Test]
    public void CommandBuffersCopyWhenRecordingAndReleaseWhatTheyNeverApply()
    {
        (int slots, long bytes) = SettledStorage();
        using (var world = new World())
        {
            Entity source = world.Create(new Samples(Ramp(80, 0)));
            Entity target = world.Create(new Health(1));
            var commands = new CommandBuffer();
            commands.Add(0, target, world.Get<Samples>(source));
            world.Get<Samples>(source).Values.AsSpan().Fill(-1);   // after recording: not seen by the command
            commands.Playback(world);
            Assert.That(world.Get<Samples>(target).Values.AsReadOnlySpan().ToArray(), Is.EqualTo(Ramp(80, 0)));

            int held = BufferStorage.LiveSlots;
            commands.Add(0, target, new Samples(Ramp(90, 0)));
            commands.Set(1, source, new Samples(Ramp(90, 1)));
            commands.Clear();
            Assert.That(BufferStorage.LiveSlots, Is.EqualTo(held), "cleared commands release their values");

            Entity doomed = world.Create(new Health(2));
            world.Destroy(doomed);
            commands.Set(0, source, new Samples(Ramp(40, 5)));
            commands.Add(1, doomed, new Samples(Ramp(40, 6)));   // fails: the entity is gone
            commands.Set(2, target, new Samples(Ramp(40, 7)));   // discarded after the failure
            Assert.That(() => commands.Playback(world), Throws.InvalidOperationException);
            Assert.That(BufferStorage.LiveSlots, Is.EqualTo(held), "the applied Set swapped one slot for another; the rest were released");
            Assert.That(world.Get<Samples>(source).Values.AsReadOnlySpan().ToArray(), Is.EqualTo(Ramp(40, 5)));
            Assert.That(world.Get<Samples>(target).Values.AsReadOnlySpan().ToArray(), Is.EqualTo(Ramp(80, 0)));
        }
        Assert.That(SettledStorage(), Is.EqualTo((slots, bytes)));
    }

    [Test]
    public void AComponentHoldingABufferWithoutSayingSoIsRefused()
    {
        using var world = new World();

        Assert.That(() => world.Create(new Unannounced()), Throws.TypeOf<TypeInitializationException>()
            .With.InnerException.Message.Contains("Unannounced").And.InnerException.Message.Contains("IBufferOwner"));
    }

    [Test]
    public void JobsWriteTheirOwnEntitiesValuesInParallel([Values(1, 2, 4)] int workers)
    {
        (int slots, long bytes) = SettledStorage();
        using (var world = new World())
        using (var jobs = new JobScheduler(workers))
        {
            var entities = new Entity[2000];
            for (int i = 0; i < entities.Length; i++)
                entities[i] = world.Create(new Samples(), new Health(i));
            var query = new QueryDescription().WithAll<Samples, Health>();
            for (int round = 0; round < 3; round++)   // round 0 grows every long buffer at once; later rounds write in place
            {
                JobHandle all = default;
                foreach (Chunk chunk in world.Query(query))
                    all = JobHandle.Combine(all, jobs.ScheduleParallelFor(new WriteSamples(chunk, round), chunk.Count, blockSize: 16));
                jobs.Complete(all);
            }

            for (int i = 0; i < entities.Length; i++)
            {
                float[] expected = new float[WriteSamples.LengthOf(i)];
                WriteSamples.Fill(i, 2, expected);
                Assert.That(world.Get<Samples>(entities[i]).Values.AsReadOnlySpan().ToArray(), Is.EqualTo(expected), $"entity {i}");
            }
        }
        Assert.That(SettledStorage(), Is.EqualTo((slots, bytes)));
    }

    /// <summary>Each row writes its own entity's values: lengths 1 to 120, so about three in four spill.</summary>
    private readonly unsafe struct WriteSamples(Chunk chunk, int round) : IJobParallelFor
    {
        private readonly Samples* _samples = (Samples*)Unsafe.AsPointer(ref MemoryMarshal.GetReference(chunk.GetSpan<Samples>()));
        private readonly Health* _ids = (Health*)Unsafe.AsPointer(ref MemoryMarshal.GetReference(chunk.GetSpan<Health>()));

        public static int LengthOf(int id) => 1 + id * 7919 % 120;

        public static void Fill(int id, int round, Span<float> values)
        {
            for (int k = 0; k < values.Length; k++)
                values[k] = id * 1000 + k + round * 0.25f;
        }

        public void Execute(int blockIndex, int start, int end)
        {
            Span<float> values = stackalloc float[120];
            for (int row = start; row < end; row++)
            {
                int id = _ids[row].Value;
                Span<float> mine = values[..LengthOf(id)];
                Fill(id, round, mine);
                _samples[row].Values.Set(mine);
            }
        }
    }

    [Test]
    public void WritingValuesOfAnUnchangedLengthAllocatesNothing()
    {
        using var world = new World();
        for (int i = 0; i < 500; i++)
            world.Create(new Samples(new float[i % 2 == 0 ? 10 : 100]));
        var query = new QueryDescription().WithAll<Samples>();
        float[] source = Ramp(100, 0);
        void Write()
        {
            foreach (Chunk chunk in world.Query(query))
            {
                Span<Samples> samples = chunk.GetSpan<Samples>();
                for (int i = 0; i < samples.Length; i++)
                    samples[i].Values.Set(source.AsSpan(0, samples[i].Values.Length));
            }
        }
        Write();
        long bytes = BufferStorage.LiveBytes;

        Assert.That(Allocations.AfterWarmUp(Write, steps: 20), Is.Zero);
        Assert.That(BufferStorage.LiveBytes, Is.EqualTo(bytes), "no native block changes hands either");
    }
}
