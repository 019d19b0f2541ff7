using SkiaSharp;

namespace EcsNeural.Tests.Demo;

/// <summary>Looks inside PNG files the demo wrote, to tell a real frame from a blank or missing one.</summary>
internal static class PngInspection
{
    /// <summary>Number of distinct colours in the image (every pixel counted).</summary>
    public static int DistinctColours(string path)
    {
        Assert.That(File.Exists(path), Is.True, $"expected a PNG at {path}");
        using SKBitmap? bitmap = SKBitmap.Decode(path);
        Assert.That(bitmap, Is.Not.Null, $"{path} is not a readable PNG");
        var colours = new HashSet<uint>();
        for (int y = 0; y < bitmap!.Height; y++)
        for (int x = 0; x < bitmap.Width; x++)
            colours.Add((uint)bitmap.GetPixel(x, y));
        return colours.Count;
    }
}
