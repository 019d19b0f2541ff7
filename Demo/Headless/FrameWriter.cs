using EcsNeural.Demo.Rendering;
using EcsNeural.Demo.Training;

namespace EcsNeural.Demo.Headless;

/// <summary>Renders headless frames through the same painter as the window, on a raster surface.</summary>
public sealed class FrameWriter(int width, int height, int ticksPerFrame) : IDisposable
{
    private readonly RasterFrameTarget _target = new(width, height);
    private readonly DemoPainter _painter = new();
    private readonly ViewState _view = new()
    {
        TicksPerFrame = Math.Max(1, ticksPerFrame),
        HelpLine = "headless run: frames, metrics.csv, summary.json and the network's checkpoint are written to the output directory",
    };

    /// <summary>Writes frame-{tick}.png into <paramref name="directory"/> and returns its path; <paramref name="ticksPerSecond"/> is shown in the HUD.</summary>
    public string Write(ArenaSession session, string directory, double ticksPerSecond)
    {
        _view.TicksPerSecond = ticksPerSecond;
        _painter.Draw(_target.BeginFrame(), _target.Width, _target.Height, session, _view);
        _target.EndFrame();
        string path = Path.Combine(directory, $"frame-{session.Simulation.Tick:D6}.png");
        _target.SavePng(path);
        return path;
    }

    public void Dispose()
    {
        _painter.Dispose();
        _target.Dispose();
    }
}
