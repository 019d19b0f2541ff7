using SkiaSharp;

namespace EcsNeural.Demo.Rendering;

/// <summary>
/// Where frames are drawn: a GPU surface on a window, or an offscreen raster. The painter only sees
/// an <see cref="SKCanvas"/>, so another backend only needs another implementation of this.
/// </summary>
public interface IFrameTarget : IDisposable
{
    int Width { get; }
    int Height { get; }

    /// <summary>Starts a frame and returns the canvas to draw it on.</summary>
    SKCanvas BeginFrame();

    /// <summary>Finishes the frame (flushes to the GPU, or leaves the pixels ready to read).</summary>
    void EndFrame();

    /// <summary>Saves the last finished frame as a PNG.</summary>
    void SavePng(string path);
}
