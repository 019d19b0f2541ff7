using SkiaSharp;

namespace EcsNeural.Demo.Rendering;

/// <summary>The demo's colours, and the diverging map used for activations and weights.</summary>
public static class Palette
{
    public static readonly SKColor Background = new(0x12, 0x14, 0x1A);
    public static readonly SKColor Panel = new(0x1B, 0x1E, 0x27);
    public static readonly SKColor PanelBorder = new(0x2C, 0x31, 0x3D);
    public static readonly SKColor ArenaFloor = new(0x17, 0x1A, 0x22);
    public static readonly SKColor Wall = new(0xA8, 0xB0, 0xC0);
    public static readonly SKColor Food = new(0x5D, 0xD3, 0x6C);
    public static readonly SKColor Agent = new(0x6F, 0xA8, 0xFF);
    public static readonly SKColor Selected = new(0xFF, 0xD1, 0x4A);
    public static readonly SKColor WallRay = new(0xFF, 0x8A, 0x4C);
    public static readonly SKColor Text = new(0xE6, 0xE9, 0xEF);
    public static readonly SKColor DimText = new(0x8C, 0x94, 0xA6);
    public static readonly SKColor Reward = new(0xFF, 0x7A, 0x90);
    public static readonly SKColor Positive = new(0xFF, 0x9F, 0x43);
    public static readonly SKColor Negative = new(0x4C, 0xA8, 0xFF);

    /// <summary>Blue for negative, near-black for zero, orange for positive; <paramref name="v"/> is clamped to [-1, 1] for colour only.</summary>
    public static SKColor Diverging(float v)
    {
        float t = Math.Clamp(v, -1f, 1f);
        SKColor end = t >= 0 ? Positive : Negative;
        float a = MathF.Abs(t);
        const byte baseR = 0x24, baseG = 0x27, baseB = 0x30;
        return new SKColor((byte)(baseR + (end.Red - baseR) * a), (byte)(baseG + (end.Green - baseG) * a), (byte)(baseB + (end.Blue - baseB) * a));
    }
}
