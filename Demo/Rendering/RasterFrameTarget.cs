using SkiaSharp;

namespace EcsNeural.Demo.Rendering;

/// <summary>An offscreen CPU surface: the headless frames, and the same drawing code as the window.</summary>
public sealed class RasterFrameTarget : IFrameTarget
{
    private readonly SKSurface _surface;

    public RasterFrameTarget(int width, int height)
    {
        Width = width;
        Height = height;
        _surface = SKSurface.Create(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Premul))
            ?? throw new InvalidOperationException($"Skia could not create a {width}×{height} raster surface");
    }

    public int Width { get; }
    public int Height { get; }

    public SKCanvas BeginFrame() => _surface.Canvas;

    public void EndFrame() => _surface.Canvas.Flush();

    /// <summary>The last finished frame as an image.</summary>
    public SKImage Snapshot() => _surface.Snapshot();

    public void SavePng(string path)
    {
        using SKImage image = _surface.Snapshot();
        using SKData png = image.Encode(SKEncodedImageFormat.Png, 100);
        using FileStream file = File.Create(path);
        png.SaveTo(file);
    }

    public void Dispose() => _surface.Dispose();
}
