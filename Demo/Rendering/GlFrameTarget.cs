using EcsNeural.Demo.Platform;
using SkiaSharp;

namespace EcsNeural.Demo.Rendering;

/// <summary>
/// Skia's GPU backend on the current OpenGL context (the GLFW window's): draws straight into the
/// window's default framebuffer. The surface is rebuilt when the framebuffer size changes.
/// </summary>
public sealed class GlFrameTarget : IFrameTarget
{
    private const uint GlRgba8 = 0x8058;
    private readonly GRGlInterface _gl;
    private readonly GRContext _context;
    private GRBackendRenderTarget? _renderTarget;
    private SKSurface? _surface;

    public GlFrameTarget(int width, int height)
    {
        // Skia's own loader first; GLFW's loader as the fallback must not hand out EGL entry points,
        // which GLX resolves to stubs that crash when Skia probes them
        _gl = GRGlInterface.Create()
            ?? GRGlInterface.Create(name => name.StartsWith("egl", StringComparison.Ordinal) ? 0 : Glfw.GetProcAddress(name))
            ?? throw new InvalidOperationException("Skia could not bind OpenGL through GLFW's loader");
        _context = GRContext.CreateGl(_gl)
            ?? throw new InvalidOperationException("Skia could not create an OpenGL context (is Mesa's libgl1-mesa-dri installed?)");
        Resize(width, height);
    }

    public int Width { get; private set; }
    public int Height { get; private set; }

    /// <summary>Matches the surface to the window's framebuffer size.</summary>
    public void Resize(int width, int height)
    {
        if (width == Width && height == Height && _surface is not null) return;
        _surface?.Dispose();
        _renderTarget?.Dispose();
        Width = Math.Max(1, width);
        Height = Math.Max(1, height);
        _renderTarget = new GRBackendRenderTarget(Width, Height, 0, 8, new GRGlFramebufferInfo(0, GlRgba8));
        _surface = SKSurface.Create(_context, _renderTarget, GRSurfaceOrigin.BottomLeft, SKColorType.Rgba8888)
            ?? throw new InvalidOperationException($"Skia could not wrap the {Width}×{Height} window framebuffer");
    }

    public SKCanvas BeginFrame() => _surface!.Canvas;

    public void EndFrame() => _context.Flush();

    /// <summary>Reads the window's framebuffer back (call after <see cref="EndFrame"/>, before the buffers are swapped).</summary>
    public void SavePng(string path)
    {
        using var bitmap = new SKBitmap(new SKImageInfo(Width, Height, SKColorType.Rgba8888, SKAlphaType.Premul));
        unsafe
        {
            GlReadback.ReadPixels(Width, Height, new Span<byte>((void*)bitmap.GetPixels(), Width * Height * 4));
        }
        using SKData png = bitmap.Encode(SKEncodedImageFormat.Png, 100);
        using FileStream file = File.Create(path);
        png.SaveTo(file);
    }

    public void Dispose()
    {
        _surface?.Dispose();
        _renderTarget?.Dispose();
        _context.Dispose();
        _gl.Dispose();
    }
}
