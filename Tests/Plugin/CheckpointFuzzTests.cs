using System.Buffers.Binary;
using EcsNeural.Plugin.Checkpoints;
using EcsNeural.Systems.Optimizers;
using EcsNeural.Tests.Support;

namespace EcsNeural.Tests.Plugin;

/// <summary>
/// Thousands of deterministic random damages to a small checkpoint — single-bit flips (with and without the checksum
/// recomputed), truncations and header fields set to edge values (checksum recomputed) — each of which either loads to
/// exactly what the file says (saving the loaded graph gives the file's bytes back) or throws
/// <see cref="CheckpointException"/> and leaves the target bit-identical.
/// </summary>
public class CheckpointFuzzTests : CheckpointFixture
{
    private const int Seed = 20_261_127;

    /// <summary>Thousands of files, a thousand of them saved with a flush to disk: keep them in memory where possible.</summary>
    private protected override bool InMemory => true;

    [Slow]
    [Test]
    public void EveryDamagedFileLoadsExactlyOrIsRejectedWithoutEffect()
    {
        PluginHost source = Host();
        NormalisedNetwork trained = NormalisedNetwork.Create(source, instances: 2, seed: 1, OptimizerOptions.Adam(0.01));
        trained.Train(source, 0, 5);
        string originalPath = PathOf("original.ckpt");
        Checkpoint.Save(trained.Graph, originalPath);
        byte[] original = File.ReadAllBytes(originalPath);
        List<CheckpointField> fields = CheckpointFile.Fields(original);

        NormalisedNetwork target = NormalisedNetwork.Create(Host(), instances: 2, seed: 2, OptimizerOptions.Sgd(0.1));
        Checkpoint.Load(target.Graph, originalPath);
        GraphState pristine = target.State();
        string path = PathOf("damaged.ckpt"), resaved = PathOf("resaved.ckpt");
        var random = new Random(Seed);
        int loaded = 0, rejected = 0;

        void Try(string what, byte[] damaged)
        {
            File.WriteAllBytes(path, damaged);
            try
            {
                Checkpoint.Load(target.Graph, path);
            }
            catch (CheckpointException ex)
            {
                rejected++;
                Assert.That(ex.Path, Is.EqualTo(path), what);
                Assert.That(ex.Field, Is.Not.Empty, what);
                if (!target.State().Matches(pristine))
                    Assert.Fail($"{what}: rejected ({ex.Message}) but the target changed");
                return;
            }
            catch (Exception ex)
            {
                Assert.Fail($"{what}: {ex.GetType().Name} instead of a CheckpointException: {ex.Message}");
            }
            loaded++;
            Checkpoint.Save(target.Graph, resaved);
            if (!File.ReadAllBytes(resaved).AsSpan().SequenceEqual(damaged))
                Assert.Fail($"{what}: loaded, but the graph does not hold what the file says (saving it gives other bytes)");
            Checkpoint.Load(target.Graph, originalPath);
        }

        for (int i = 0; i < 1500; i++)
        {
            int bit = random.Next(original.Length * 8);
            Try($"bit {bit} flipped, checksum recomputed", CheckpointFile.Sealed(Flipped(original, bit), fixLength: false));
        }
        for (int i = 0; i < 500; i++)
        {
            int bit = random.Next(original.Length * 8);
            Try($"bit {bit} flipped", Flipped(original, bit));
        }
        for (int i = 0; i < 400; i++)
        {
            int length = random.Next(original.Length);
            bool seal = i % 2 == 0 && length >= 8;
            Try($"truncated to {length} bytes{(seal ? ", length and checksum fixed" : "")}",
                seal ? CheckpointFile.Sealed([.. original[..(length - 8)], .. new byte[8]]) : original[..length]);
        }
        for (int i = 0; i < 1200; i++)
        {
            CheckpointField field = fields[random.Next(fields.Count)];
            byte[] damaged = (byte[])original.Clone();
            string value = Mutate(damaged.AsSpan(field.Offset, field.Size), field.IsFloat, random);
            Try($"{field.Name} set to {value}, checksum recomputed", CheckpointFile.Sealed(damaged, fixLength: field.Name != "length"));
        }

        Assert.That(target.State().Matches(pristine), Is.True);
        Assert.That(loaded, Is.GreaterThan(500), "damages that still load (flipped parameter bits)");
        Assert.That(rejected, Is.GreaterThan(2000), "damages rejected");
    }

    private static byte[] Flipped(byte[] file, int bit)
    {
        byte[] copy = (byte[])file.Clone();
        copy[bit / 8] ^= (byte)(1 << (bit % 8));
        return copy;
    }

    /// <summary>Overwrites a field with an edge value of its width (or a random one); returns what it wrote.</summary>
    private static string Mutate(Span<byte> field, bool isFloat, Random random)
    {
        switch (field.Length)
        {
            case 1:
                byte[] bytes = [0, 1, 2, 3, 4, 127, 128, 255, (byte)(field[0] + 1), (byte)(field[0] - 1), (byte)random.Next(256)];
                field[0] = bytes[random.Next(bytes.Length)];
                return field[0].ToString();
            case 4:
                int old = BinaryPrimitives.ReadInt32LittleEndian(field);
                int[] ints = [0, 1, -1, 2, int.MaxValue, int.MinValue, old + 1, old - 1, random.Next(-3, 20), random.Next(int.MinValue, int.MaxValue)];
                int chosen = ints[random.Next(ints.Length)];
                BinaryPrimitives.WriteInt32LittleEndian(field, chosen);
                return chosen.ToString();
            case 8 when isFloat:
                double was = BinaryPrimitives.ReadDoubleLittleEndian(field);
                double[] doubles = [double.NaN, double.PositiveInfinity, double.NegativeInfinity, 0.0, -0.0, -1, 1, 0.5, 0.9999999, 1e-300, 1e300,
                    was * 2, -was, BitConverter.Int64BitsToDouble(random.NextInt64())];
                double value = doubles[random.Next(doubles.Length)];
                BinaryPrimitives.WriteDoubleLittleEndian(field, value);
                return value.ToString("R");
            default:
                long before = BinaryPrimitives.ReadInt64LittleEndian(field);
                long[] longs = [0, 1, -1, long.MaxValue, long.MinValue, before + 1, before - 1, int.MaxValue, random.NextInt64()];
                long next = longs[random.Next(longs.Length)];
                BinaryPrimitives.WriteInt64LittleEndian(field, next);
                return next.ToString();
        }
    }
}
