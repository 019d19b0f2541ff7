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

    /// <summary>
    /// True when OpenGL runs in software (Mesa's llvmpipe/softpipe, e.g. under Xvfb): Skia's GPU path
    /// then draws many antialiased shapes pixel by pixel in the GL emulation, so frames are painted on
    /// the CPU raster instead and shown as one image on the window's surface, several times faster.
    /// </summary>
    public bool SoftwareOpenGl { get; } = IsSoftwareRenderer();

    public SKCanvas BeginFrame()
    {
        if (!SoftwareOpenGl) return _surface!.Canvas;
        if (_raster is null || _raster.Width != Width || _raster.Height != Height)
        {
            _raster?.Dispose();
            _raster = new RasterFrameTarget(Width, Height);
        }
        return _raster.BeginFrame();
    }

    public void EndFrame()
    {
        if (_raster is not null && SoftwareOpenGl)
        {
            _raster.EndFrame();
            using SKImage frame = _raster.Snapshot();
            _surface!.Canvas.DrawImage(frame, 0, 0);
        }
        _context.Flush();
    }

    private RasterFrameTarget? _raster;

    private static unsafe bool IsSoftwareRenderer()
    {
        const int GlRenderer = 0x1F01;
        nint getString = Glfw.GetProcAddress("glGetString");
        if (getString == 0) return false;
        string renderer = System.Runtime.InteropServices.Marshal.PtrToStringUTF8(((delegate* unmanaged<int, nint>)getString)(GlRenderer)) ?? "";
        return renderer.Contains("llvmpipe", StringComparison.OrdinalIgnoreCase) || renderer.Contains("softpipe", StringComparison.OrdinalIgnoreCase);
    }

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
        _raster?.Dispose();
        _surface?.Dispose();
        _renderTarget?.Dispose();
        _context.Dispose();
        _gl.Dispose();
    }
}
