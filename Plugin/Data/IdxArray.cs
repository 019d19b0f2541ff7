namespace EcsNeural.Plugin.Data;

/// <summary>
/// The contents of an IDX file of unsigned bytes (the format of MNIST and Fashion-MNIST): its dimensions, outermost
/// first, and its elements in row-major order.
/// </summary>
public sealed class IdxArray
{
    internal IdxArray(string path, int[] dimensions, byte[] data)
    {
        Path = path;
        Dimensions = dimensions;
        Data = data;
    }

    /// <summary>The file it was read from (for messages about its contents).</summary>
    public string Path { get; }

    /// <summary>The dimensions, outermost first: [images, rows, columns] for images, [labels] for labels.</summary>
    public IReadOnlyList<int> Dimensions { get; }

    /// <summary>Every element, row-major; its length is the product of <see cref="Dimensions"/>.</summary>
    public byte[] Data { get; }

    /// <summary>The outermost dimension: the number of items (images or labels).</summary>
    public int Count => Dimensions[0];

    /// <summary>Elements per item: the product of the inner dimensions (784 for a 28 × 28 image, 1 for a label).</summary>
    public int ItemLength
    {
        get
        {
            int length = 1;
            for (int d = 1; d < Dimensions.Count; d++)
                length *= Dimensions[d];
            return length;
        }
    }
}
