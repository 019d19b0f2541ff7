using System.Diagnostics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using EcsNeural.Ecs;

namespace EcsNeural.Benchmarks.Ecs;

/// <summary>One cell of the ECS iteration table: a loop body run through one iteration path.</summary>
/// <param name="Loop">The loop body, e.g. <c>c1 += c2</c>.</param>
/// <param name="Path">How entities were visited.</param>
/// <param name="NsPerEntityMedian">Median over the timed runs, nanoseconds per entity.</param>
/// <param name="NsPerEntityMin">Fastest run.</param>
/// <param name="NsPerEntityMax">Slowest run.</param>
public readonly record struct EcsIterationResult(
    string Loop, string Path, double NsPerEntityMedian, double NsPerEntityMin, double NsPerEntityMax);

/// <summary>
/// The usual ECS iteration benchmark: 100,000 entities with three int components, updating one, two
/// or three of them (<c>c1 += 1</c>, <c>c1 += c2</c>, <c>c1 += c2 + c3</c>) through every iteration
/// path of <see cref="World"/>, plus a plain <c>int[]</c> loop for reference. Single thread; each
/// cell is the median of 101 timed runs (one pass over all entities each) after at least 31 warm-up
/// runs and half a second. Every path is first checked against the expected result.
/// </summary>
public static class EcsIterationBenchmark
{
    public const int EntityCount = 100_000;
    private const int WarmupRuns = 31;
    private const int TimedRuns = 101;

    // One pass per timed run: a run then lasts 4-500 µs, short enough to fit in one scheduler time
    // slice on a busy shared machine, so the median reflects the code rather than preemption.
    private const int PassesPerRun = 1;

    private static readonly string[] Loops = ["c1 += 1", "c1 += c2", "c1 += c2 + c3"];
    private static readonly string[] Paths =
        ["lambda Query", "InlineQuery (struct)", "chunk spans", "chunk spans Vector512", "chunk spans TensorPrimitives", "plain int[]"];

    public record struct C1(int Value);

    public record struct C2(int Value);

    public record struct C3(int Value);

    private static readonly QueryDescription Query1 = new QueryDescription().WithAll<C1>();
    private static readonly QueryDescription Query2 = new QueryDescription().WithAll<C1, C2>();
    private static readonly QueryDescription Query3 = new QueryDescription().WithAll<C1, C2, C3>();

    /// <summary>Runs the benchmark, prints a table of ns/entity to <paramref name="output"/> and returns every cell.</summary>
    public static IReadOnlyList<EcsIterationResult> Run(TextWriter output)
    {
        using var world = new World();
        for (int i = 0; i < EntityCount; i++) world.Create(new C1(i), new C2(2 * i), new C3(3 * i));
        var arrays = new PlainArrays(EntityCount);

        var results = new List<EcsIterationResult>();
        for (int loop = 0; loop < Loops.Length; loop++)
        {
            for (int path = 0; path < Paths.Length; path++)
            {
                Action pass = Pass(world, arrays, loop, path);
                Verify(world, arrays, loop, path, pass);
                results.Add(Measure(Loops[loop], Paths[path], pass));
            }
        }
        Print(output, results);
        return results;
    }

    private static Action Pass(World world, PlainArrays arrays, int loop, int path) => (loop, path) switch
    {
        (0, 0) => () => world.Query(in Query1, static (ref C1 a) => a.Value += 1),
        (1, 0) => () => world.Query(in Query2, static (ref C1 a, ref C2 b) => a.Value += b.Value),
        (2, 0) => () => world.Query(in Query3, static (ref C1 a, ref C2 b, ref C3 c) => a.Value += b.Value + c.Value),
        (0, 1) => () => { var body = new AddOne(); world.InlineQuery<AddOne, C1>(in Query1, ref body); },
        (1, 1) => () => { var body = new AddSecond(); world.InlineQuery<AddSecond, C1, C2>(in Query2, ref body); },
        (2, 1) => () => { var body = new AddSecondAndThird(); world.InlineQuery<AddSecondAndThird, C1, C2, C3>(in Query3, ref body); },
        (_, 2) => () => ChunkScalar(world, loop),
        (_, 3) => () => ChunkVector512(world, loop),
        (_, 4) => () => ChunkTensorPrimitives(world, loop),
        _ => () => arrays.Update(loop),
    };

    private struct AddOne : IForEach<C1>
    {
        public readonly void Update(Entity entity, ref C1 a) => a.Value += 1;
    }

    private struct AddSecond : IForEach<C1, C2>
    {
        public readonly void Update(Entity entity, ref C1 a, ref C2 b) => a.Value += b.Value;
    }

    private struct AddSecondAndThird : IForEach<C1, C2, C3>
    {
        public readonly void Update(Entity entity, ref C1 a, ref C2 b, ref C3 c) => a.Value += b.Value + c.Value;
    }

    private static void ChunkScalar(World world, int loop)
    {
        foreach (Chunk chunk in world.Query(in Query3))
        {
            Span<int> a = MemoryMarshal.Cast<C1, int>(chunk.GetSpan<C1>());
            Span<int> b = MemoryMarshal.Cast<C2, int>(chunk.GetSpan<C2>());
            Span<int> c = MemoryMarshal.Cast<C3, int>(chunk.GetSpan<C3>());
            switch (loop)
            {
                case 0:
                    for (int i = 0; i < a.Length; i++) a[i] += 1;
                    break;
                case 1:
                    b = b[..a.Length];
                    for (int i = 0; i < a.Length; i++) a[i] += b[i];
                    break;
                default:
                    b = b[..a.Length];
                    c = c[..a.Length];
                    for (int i = 0; i < a.Length; i++) a[i] += b[i] + c[i];
                    break;
            }
        }
    }

    /// <summary>Whole 512-bit vectors over the padded columns: no scalar remainder (padding lanes are ignored).</summary>
    private static void ChunkVector512(World world, int loop)
    {
        foreach (Chunk chunk in world.Query(in Query3))
        {
            Span<int> a = MemoryMarshal.Cast<C1, int>(chunk.GetPaddedSpan<C1>());
            switch (loop)
            {
                case 0:
                    AddVectors(a, a, a, one: true, third: false);
                    break;
                case 1:
                    AddVectors(a, MemoryMarshal.Cast<C2, int>(chunk.GetPaddedSpan<C2>()), a, one: false, third: false);
                    break;
                default:
                    AddVectors(a, MemoryMarshal.Cast<C2, int>(chunk.GetPaddedSpan<C2>()),
                        MemoryMarshal.Cast<C3, int>(chunk.GetPaddedSpan<C3>()), one: false, third: true);
                    break;
            }
        }
    }

    /// <summary>
    /// a += (one ? 1 : b) + (third ? c : 0) over spans whose length is a whole number of vectors,
    /// four vectors per iteration so loads and stores overlap.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void AddVectors(Span<int> a, Span<int> b, Span<int> c, bool one, bool third)
    {
        const int w = 16; // Vector512<int>.Count
        ref int pa = ref MemoryMarshal.GetReference(a);
        ref int pb = ref MemoryMarshal.GetReference(b);
        ref int pc = ref MemoryMarshal.GetReference(c);
        nuint length = (nuint)a.Length;
        nuint i = 0;
        for (; i + 4 * w <= length; i += 4 * w)
        {
            Vector512<int> a0 = Vector512.LoadUnsafe(ref pa, i), a1 = Vector512.LoadUnsafe(ref pa, i + w);
            Vector512<int> a2 = Vector512.LoadUnsafe(ref pa, i + 2 * w), a3 = Vector512.LoadUnsafe(ref pa, i + 3 * w);
            if (one)
            {
                a0 += Vector512<int>.One; a1 += Vector512<int>.One; a2 += Vector512<int>.One; a3 += Vector512<int>.One;
            }
            else
            {
                a0 += Vector512.LoadUnsafe(ref pb, i); a1 += Vector512.LoadUnsafe(ref pb, i + w);
                a2 += Vector512.LoadUnsafe(ref pb, i + 2 * w); a3 += Vector512.LoadUnsafe(ref pb, i + 3 * w);
            }
            if (third)
            {
                a0 += Vector512.LoadUnsafe(ref pc, i); a1 += Vector512.LoadUnsafe(ref pc, i + w);
                a2 += Vector512.LoadUnsafe(ref pc, i + 2 * w); a3 += Vector512.LoadUnsafe(ref pc, i + 3 * w);
            }
            a0.StoreUnsafe(ref pa, i); a1.StoreUnsafe(ref pa, i + w); a2.StoreUnsafe(ref pa, i + 2 * w); a3.StoreUnsafe(ref pa, i + 3 * w);
        }
        for (; i < length; i += w)
        {
            Vector512<int> v = Vector512.LoadUnsafe(ref pa, i) + (one ? Vector512<int>.One : Vector512.LoadUnsafe(ref pb, i));
            if (third) v += Vector512.LoadUnsafe(ref pc, i);
            v.StoreUnsafe(ref pa, i);
        }
    }

    private static void ChunkTensorPrimitives(World world, int loop)
    {
        foreach (Chunk chunk in world.Query(in Query3))
        {
            Span<int> a = MemoryMarshal.Cast<C1, int>(chunk.GetSpan<C1>());
            if (loop == 0)
            {
                TensorPrimitives.Add(a, 1, a);
                continue;
            }
            TensorPrimitives.Add(a, MemoryMarshal.Cast<C2, int>(chunk.GetSpan<C2>()), a);
            if (loop == 2) TensorPrimitives.Add(a, MemoryMarshal.Cast<C3, int>(chunk.GetSpan<C3>()), a);
        }
    }

    private sealed class PlainArrays(int count)
    {
        public readonly int[] A = new int[count];
        public readonly int[] B = new int[count];
        public readonly int[] C = new int[count];

        public void Update(int loop)
        {
            int[] a = A, b = B, c = C;
            switch (loop)
            {
                case 0:
                    for (int i = 0; i < a.Length; i++) a[i] += 1;
                    break;
                case 1:
                    for (int i = 0; i < a.Length; i++) a[i] += b[i];
                    break;
                default:
                    for (int i = 0; i < a.Length; i++) a[i] += b[i] + c[i];
                    break;
            }
        }
    }

    /// <summary>Resets every entity to (i, 2i, 3i), runs one pass and checks c1 against the loop's formula.</summary>
    private static void Verify(World world, PlainArrays arrays, int loop, int path, Action pass)
    {
        world.Query(in Query3, static (ref C1 a, ref C2 b, ref C3 c) => a.Value = b.Value / 2);
        for (int i = 0; i < EntityCount; i++) (arrays.A[i], arrays.B[i], arrays.C[i]) = (i, 2 * i, 3 * i);
        pass();
        bool plain = path == Paths.Length - 1;
        var check = new CheckFirst(loop, plain ? arrays.A : null);
        world.InlineQuery<CheckFirst, C1, C2, C3>(in Query3, ref check);
        if (plain) check.CheckArrays(arrays);
        if (check.Failures > 0)
        {
            throw new InvalidOperationException($"ECS benchmark path '{Paths[path]}' computed {Loops[loop]} wrongly for {check.Failures} entities.");
        }
    }

    private struct CheckFirst(int loop, int[]? skipWorld) : IForEach<C1, C2, C3>
    {
        public int Failures;

        private readonly int Expected(int i) => loop switch { 0 => i + 1, 1 => 3 * i, _ => 6 * i };

        public void Update(Entity entity, ref C1 a, ref C2 b, ref C3 c)
        {
            if (skipWorld is null && a.Value != Expected(b.Value / 2)) Failures++;
        }

        public void CheckArrays(PlainArrays arrays)
        {
            for (int i = 0; i < EntityCount; i++)
            {
                if (arrays.A[i] != Expected(i)) Failures++;
            }
        }
    }

    private static EcsIterationResult Measure(string loop, string path, Action pass)
    {
        // At least WarmupRuns runs and half a second, so tiered compilation has installed the
        // optimised code (it waits for a quiet period, which a busy machine delays).
        long warmupStart = Stopwatch.GetTimestamp();
        for (int run = 0; run < WarmupRuns || Stopwatch.GetElapsedTime(warmupStart).TotalSeconds < 0.5; run++) RunPasses(pass);
        var ns = new double[TimedRuns];
        for (int run = 0; run < TimedRuns; run++) ns[run] = RunPasses(pass);
        Array.Sort(ns);
        return new EcsIterationResult(loop, path, ns[TimedRuns / 2], ns[0], ns[^1]);
    }

    /// <summary>Runs <see cref="PassesPerRun"/> passes; returns nanoseconds per entity.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static double RunPasses(Action pass)
    {
        long start = Stopwatch.GetTimestamp();
        for (int p = 0; p < PassesPerRun; p++) pass();
        double seconds = (Stopwatch.GetTimestamp() - start) / (double)Stopwatch.Frequency;
        return seconds * 1e9 / ((double)PassesPerRun * EntityCount);
    }

    private static void Print(TextWriter output, List<EcsIterationResult> results)
    {
        output.WriteLine($"ECS iteration, {EntityCount:N0} entities with three int components, single thread, ns per entity:");
        output.WriteLine($"median (min-max) of {TimedRuns} runs x {PassesPerRun} passes after at least {WarmupRuns} warm-up runs and 0.5 s; Vector512 hardware: {Vector512.IsHardwareAccelerated}");
        output.WriteLine();
        output.WriteLine("| path | " + string.Join(" | ", Loops) + " |");
        output.WriteLine("|---|" + string.Concat(Enumerable.Repeat("---|", Loops.Length)));
        foreach (string path in Paths)
        {
            IEnumerable<string> cells = Loops.Select(loop => results.First(r => r.Loop == loop && r.Path == path))
                .Select(r => $"{r.NsPerEntityMedian:F3} ({r.NsPerEntityMin:F3}-{r.NsPerEntityMax:F3})");
            output.WriteLine($"| {path} | " + string.Join(" | ", cells) + " |");
        }
    }
}
