using SkiaSharp;

namespace EcsNeural.Demo.Rendering;

/// <summary>
/// The typeface for all text: DejaVu Sans (Debian's fonts-dejavu-core, installed by setup.sh), else
/// whatever fontconfig offers, so text renders on a fresh machine.
/// </summary>
public static class Fonts
{
    private const string DejaVuSans = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf";

    public static SKTypeface Regular { get; } =
        (File.Exists(DejaVuSans) ? SKTypeface.FromFile(DejaVuSans) : null)
        ?? SKTypeface.FromFamilyName("DejaVu Sans")
        ?? SKTypeface.Default;
}
