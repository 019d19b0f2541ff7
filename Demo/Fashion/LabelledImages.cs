namespace EcsNeural.Demo.Fashion;

/// <summary>
/// Images with their class labels, kept as the file's bytes (a pixel becomes a float only when it is copied into a
/// minibatch, so the 60,000 training images stay 47 MB rather than 188 MB).
/// </summary>
public sealed class LabelledImages
{
    /// <summary>Checks that there is one label per image and every label is a class below <paramref name="classes"/>.</summary>
    public LabelledImages(byte[] pixels, byte[] labels, int pixelsPerImage, int classes, string source)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(pixelsPerImage, 1);
        if (pixels.Length != labels.Length * pixelsPerImage)
            throw new InvalidDataException($"{source}: {pixels.Length / pixelsPerImage} images of {pixelsPerImage} pixels but {labels.Length} labels.");
        int bad = Array.FindIndex(labels, l => l >= classes);
        if (bad >= 0)
            throw new InvalidDataException($"{source}: label {bad} is {labels[bad]}; classes are 0–{classes - 1}.");
        (Pixels, Labels, PixelsPerImage, Classes, Source) = (pixels, labels, pixelsPerImage, classes, source);
    }

    /// <summary>All images back to back, one byte (0–255) per pixel.</summary>
    public byte[] Pixels { get; }
    /// <summary>One class per image.</summary>
    public byte[] Labels { get; }
    /// <summary>Pixels of one image (784 for 28 × 28).</summary>
    public int PixelsPerImage { get; }
    /// <summary>Number of classes.</summary>
    public int Classes { get; }
    /// <summary>Where the images came from, for messages.</summary>
    public string Source { get; }
    /// <summary>Number of images.</summary>
    public int Count => Labels.Length;

    /// <summary>The pixels of image <paramref name="index"/>.</summary>
    public ReadOnlySpan<byte> Image(int index) => Pixels.AsSpan(index * PixelsPerImage, PixelsPerImage);

    /// <summary>A copy of the first <paramref name="count"/> images (small slices for tests and quick runs).</summary>
    public LabelledImages Take(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, Count);
        return new LabelledImages(Pixels[..(count * PixelsPerImage)], Labels[..count], PixelsPerImage, Classes, $"{Source} (first {count})");
    }
}
