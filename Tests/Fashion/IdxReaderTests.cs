using EcsNeural.Plugin.Data;

namespace EcsNeural.Tests.Fashion;

[TestFixture]
public sealed class IdxReaderTests
{
    private static readonly byte[] SixPixels = [0, 10, 20, 250, 255, 7];

    [TestCase(false)]
    [TestCase(true)]
    public void ReadsDimensionsAndDataOfPlainAndGzippedFiles(bool gzip)
    {
        using var files = new IdxFiles();
        byte[] bytes = IdxFiles.Idx(0x08, [3, 1, 2], SixPixels);
        string path = files.Write("images", gzip ? IdxFiles.Gzip(bytes) : bytes);

        IdxArray array = IdxReader.Read(path, rank: 3);

        Assert.That(array.Dimensions, Is.EqualTo(new[] { 3, 1, 2 }));
        Assert.That(array.Count, Is.EqualTo(3));
        Assert.That(array.ItemLength, Is.EqualTo(2));
        Assert.That(array.Data, Is.EqualTo(SixPixels));
        Assert.That(array.Path, Is.EqualTo(path));
    }

    [Test]
    public void RejectsAFileThatIsNotIdx()
    {
        using var files = new IdxFiles();
        byte[] bytes = IdxFiles.Idx(0x08, [6], SixPixels);
        bytes[0] = 0x50;   // e.g. a PNG or text file
        AssertInvalid(files.Write("not-idx", bytes), 1, "not an IDX file");
    }

    [Test]
    public void RejectsElementTypesOtherThanUnsignedBytes()
    {
        using var files = new IdxFiles();
        AssertInvalid(files.Write("floats", IdxFiles.Idx(0x0D, [6], SixPixels)), 1, "element type 0x0D");
    }

    [Test]
    public void RejectsTheWrongNumberOfDimensions()
    {
        using var files = new IdxFiles();
        AssertInvalid(files.Write("labels", IdxFiles.Idx(0x08, [6], SixPixels)), 3, "has 1 dimensions; expected 3");
    }

    [Test]
    public void RejectsADimensionBeyondInt32()
    {
        using var files = new IdxFiles();
        AssertInvalid(files.Write("huge", IdxFiles.Idx(0x08, [-1], SixPixels)), 1, "dimension 0 has size 4294967295");
    }

    [Test]
    public void RejectsAFileThatEndsInsideTheHeader()
    {
        using var files = new IdxFiles();
        byte[] bytes = IdxFiles.Idx(0x08, [3, 1, 2], SixPixels);
        AssertInvalid(files.Write("short-header", bytes[..10]), 3, "ends inside the header, in the size of dimension 1");
    }

    [TestCase(false)]
    [TestCase(true)]
    public void RejectsTruncatedData(bool gzip)
    {
        using var files = new IdxFiles();
        byte[] bytes = IdxFiles.Idx(0x08, [3, 1, 2], SixPixels)[..^2];
        AssertInvalid(files.Write("truncated", gzip ? IdxFiles.Gzip(bytes) : bytes), 3, "declares 6 data bytes (3 × 1 × 2) but the file ends after 4");
    }

    [Test]
    public void RejectsBytesAfterTheDeclaredData()
    {
        using var files = new IdxFiles();
        byte[] bytes = [.. IdxFiles.Idx(0x08, [3, 1, 2], SixPixels), 99];
        AssertInvalid(files.Write("trailing", bytes), 3, "has bytes after the 6 data bytes");
    }

    [Test]
    public void RejectsADamagedGzipStream()
    {
        using var files = new IdxFiles();
        byte[] gzip = IdxFiles.Gzip(IdxFiles.Idx(0x08, [3, 1, 2], SixPixels));
        gzip[10] = 0xFF;   // first byte of the deflate stream: 0xFF is an invalid block type
        gzip[11] = 0xFF;
        AssertInvalid(files.Write("damaged.gz", gzip), 3, "damaged gzip stream");
    }

    [Test]
    public void AMissingFileIsFileNotFound()
    {
        using var files = new IdxFiles();
        string path = Path.Combine(files.Directory, "absent.gz");
        Assert.That(() => IdxReader.Read(path, 1), Throws.TypeOf<FileNotFoundException>());
    }

    private static void AssertInvalid(string path, int rank, string what)
    {
        var ex = Assert.Throws<InvalidDataException>(() => IdxReader.Read(path, rank))!;
        Assert.That(ex.Message, Does.StartWith(path + ":"));
        Assert.That(ex.Message, Does.Contain(what));
    }
}
