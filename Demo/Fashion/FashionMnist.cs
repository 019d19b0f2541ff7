using EcsNeural.Plugin.Data;

namespace EcsNeural.Demo.Fashion;

/// <summary>
/// Locates and loads Fashion-MNIST as Debian's <c>dataset-fashion-mnist</c> package installs it: four gzip'd IDX files,
/// 60,000 training and 10,000 test images of 28 × 28 pixels in 10 classes.
/// </summary>
public static class FashionMnist
{
    /// <summary>Where the Debian package puts the files.</summary>
    public const string DefaultDirectory = "/usr/share/datasets/fashion-mnist";
    /// <summary>Number of classes (T-shirt/top, trouser, pullover, dress, coat, sandal, shirt, sneaker, bag, ankle boot).</summary>
    public const int Classes = 10;

    private static readonly string[] FileNames =
        ["train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz", "t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz"];

    /// <summary>The dataset files missing from <paramref name="directory"/> (empty when all four are there).</summary>
    public static IReadOnlyList<string> MissingFiles(string directory)
        => FileNames.Select(name => Path.Combine(directory, name)).Where(path => !File.Exists(path)).ToArray();

    /// <summary>What to tell a user whose <paramref name="directory"/> lacks the dataset.</summary>
    public static string NotFoundMessage(string directory)
        => $"Fashion-MNIST not found at {directory}; install it with: sudo apt-get install dataset-fashion-mnist";

    /// <summary>Loads the training and test sets; a bad file throws <see cref="InvalidDataException"/> naming it.</summary>
    public static (LabelledImages Train, LabelledImages Test) Load(string directory = DefaultDirectory)
    {
        LabelledImages train = LoadSplit(Path.Combine(directory, FileNames[0]), Path.Combine(directory, FileNames[1]));
        LabelledImages test = LoadSplit(Path.Combine(directory, FileNames[2]), Path.Combine(directory, FileNames[3]));
        if (train.PixelsPerImage != test.PixelsPerImage)
            throw new InvalidDataException($"{train.Source} has {train.PixelsPerImage} pixels per image but {test.Source} has {test.PixelsPerImage}.");
        return (train, test);
    }

    private static LabelledImages LoadSplit(string imagesPath, string labelsPath)
    {
        IdxArray images = IdxReader.Read(imagesPath, rank: 3);
        IdxArray labels = IdxReader.Read(labelsPath, rank: 1);
        if (images.Count != labels.Count)
            throw new InvalidDataException($"{imagesPath} holds {images.Count} images but {labelsPath} holds {labels.Count} labels.");
        return new LabelledImages(images.Data, labels.Data, images.ItemLength, Classes, $"{imagesPath} with {labelsPath}");
    }
}
