using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using EcsNeural.Demo.Arena;
using EcsNeural.Demo.Platform;
using EcsNeural.Demo.Rendering;
using EcsNeural.Demo.Training;
using SkiaSharp;

namespace EcsNeural.Demo.Windowed;

/// <summary>
/// The demo in a GLFW window: one loop of input → ticks → draw → swap, with the keys listed in
/// <see cref="HelpLine"/> and a click to select an agent.
/// </summary>
public sealed unsafe class WindowedRunner : IDisposable
{
    public const string HelpLine =
        "space pause   ← / - slower   → / + faster (up to max)   click / tab select agent   r reset   s save network   t imitation ⇄ reward   q / esc quit";

    private const double MaxSpeedFrameBudget = 0.030;   // seconds of ticks per frame at "max"

    // GLFW calls back on the thread that polls events; the runner drains these after each poll
    private static readonly List<int> PendingKeys = [];
    private static bool _pendingClick;

    private readonly WindowedOptions _options;
    private readonly nint _window;
    private readonly GlFrameTarget _target;
    private readonly DemoPainter _painter = new();
    private readonly ViewState _view = new() { HelpLine = HelpLine };
    private ArenaSession _session;
    private SpeedSetting _speed;
    private double _noticeUntil;

    private WindowedRunner(WindowedOptions options, nint window)
    {
        _options = options;
        _window = window;
        Glfw.GetFramebufferSize(window, out int fbWidth, out int fbHeight);
        _target = new GlFrameTarget(fbWidth, fbHeight);
        _session = NewSession();
    }

    /// <summary>
    /// Opens the window and runs until it is closed (or <see cref="WindowedOptions.Seconds"/> pass).
    /// Returns false, with the reason, when no window can be had, so the caller can fall back to headless.
    /// </summary>
    public static bool TryRun(WindowedOptions options, out string whyNot)
    {
        if (string.IsNullOrEmpty(Environment.GetEnvironmentVariable("DISPLAY")) && string.IsNullOrEmpty(Environment.GetEnvironmentVariable("WAYLAND_DISPLAY")))
        {
            whyNot = "no display (DISPLAY and WAYLAND_DISPLAY are unset)";
            return false;
        }
        if (!Glfw.TryLoad(out whyNot)) return false;
        Glfw.SetErrorCallback(&OnError);
        if (Glfw.Init() != Glfw.True)
        {
            whyNot = $"glfwInit failed: {LastError ?? "no reason given"}";
            return false;
        }
        Glfw.WindowHint(Glfw.ContextVersionMajor, 3);
        Glfw.WindowHint(Glfw.ContextVersionMinor, 3);
        Glfw.WindowHint(Glfw.OpenGlProfile, Glfw.OpenGlCoreProfile);
        Glfw.WindowHint(Glfw.StencilBits, 8);
        Glfw.WindowHint(Glfw.Resizable, Glfw.True);
        nint window = Glfw.CreateWindow(options.Width, options.Height, "EcsNeural — agents learning to forage", 0, 0);
        if (window == 0)
        {
            whyNot = $"the window could not be created: {LastError ?? "no reason given"}";
            Glfw.Terminate();
            return false;
        }
        Glfw.MakeContextCurrent(window);
        Glfw.SwapInterval(1);
        Glfw.SetKeyCallback(window, &OnKey);
        Glfw.SetMouseButtonCallback(window, &OnMouseButton);
        try
        {
            using var runner = new WindowedRunner(options, window);
            runner.Loop();
        }
        finally
        {
            Glfw.DestroyWindow(window);
            Glfw.Terminate();
        }
        whyNot = "";
        return true;
    }

    public void Dispose()
    {
        _session.Dispose();
        _painter.Dispose();
        _target.Dispose();
    }

    private static string? LastError { get; set; }

    private void Loop()
    {
        var clock = Stopwatch.StartNew();
        double rateWindowStart = 0;
        long ticksAtWindowStart = _session.Simulation.Tick;
        int framesInWindow = 0;
        while (Glfw.WindowShouldClose(_window) == Glfw.False)
        {
            Glfw.PollEvents();
            HandleInput();
            RunTicks();

            Glfw.GetFramebufferSize(_window, out int width, out int height);
            _target.Resize(width, height);
            double now = clock.Elapsed.TotalSeconds;
            if (_view.Notice is not null && now > _noticeUntil) _view.Notice = null;
            _painter.Draw(_target.BeginFrame(), _target.Width, _target.Height, _session, _view);
            _target.EndFrame();

            bool last = _options.Seconds > 0 && now >= _options.Seconds;
            if (last)
            {
                if (_options.ScreenshotPath is { } path) SaveScreenshot(path);
                Glfw.SetWindowShouldClose(_window, Glfw.True);
            }
            Glfw.SwapBuffers(_window);

            framesInWindow++;
            if (now - rateWindowStart >= 0.5)
            {
                _view.FramesPerSecond = framesInWindow / (now - rateWindowStart);
                _view.TicksPerSecond = (_session.Simulation.Tick - ticksAtWindowStart) / (now - rateWindowStart);
                rateWindowStart = now;
                ticksAtWindowStart = _session.Simulation.Tick;
                framesInWindow = 0;
            }
        }
    }

    private void RunTicks()
    {
        if (_view.Paused) return;
        if (_speed.AsFastAsPossible)
        {
            var budget = Stopwatch.StartNew();
            int ticks = 0;
            do { _session.Step(); ticks++; } while (budget.Elapsed.TotalSeconds < MaxSpeedFrameBudget);
            _view.AsFastAsPossible = true;
            _view.DrawEvery = ticks;
        }
        else
        {
            _view.AsFastAsPossible = false;
            int ticks = _speed.TicksThisFrame();
            for (int i = 0; i < ticks; i++) _session.Step();
            _view.TicksPerFrame = Math.Max(1, ticks);
        }
    }

    private void HandleInput()
    {
        foreach (int key in PendingKeys)
        {
            switch (key)
            {
                case Glfw.Keys.Space or Glfw.Keys.P: _view.Paused = !_view.Paused; break;
                case Glfw.Keys.Left or Glfw.Keys.Minus or Glfw.Keys.KeypadSubtract: _speed.Slower(); Notify($"speed {_speed.Label} ticks/frame"); break;
                case Glfw.Keys.Right or Glfw.Keys.Equal or Glfw.Keys.KeypadAdd: _speed.Faster(); Notify($"speed {_speed.Label} ticks/frame"); break;
                case Glfw.Keys.Tab: _view.SelectedAgent = (_view.SelectedAgent + 1) % _session.Config.Agents; break;
                case Glfw.Keys.R: Reset(); break;
                case Glfw.Keys.S: SaveNetwork(); break;
                case Glfw.Keys.T: ToggleSignal(); break;
                case Glfw.Keys.Q or Glfw.Keys.Escape: Glfw.SetWindowShouldClose(_window, Glfw.True); break;
            }
        }
        PendingKeys.Clear();
        if (_pendingClick)
        {
            _pendingClick = false;
            SelectAgentUnderCursor();
        }
    }

    private void SelectAgentUnderCursor()
    {
        Glfw.GetCursorPos(_window, out double x, out double y);
        Glfw.GetWindowSize(_window, out int windowWidth, out _);
        float scale = windowWidth > 0 ? (float)_target.Width / windowWidth : 1;   // cursor is in window units, drawing in pixels
        var layout = Layout.For(_target.Width, _target.Height);
        if (!layout.ArenaTransform(_session.Config.Size).TryInvert(out SKMatrix toArena)) return;
        SKPoint p = toArena.MapPoint((float)x * scale, (float)y * scale);
        int agent = _session.Simulation.AgentNear(p.X, p.Y, 6 * _session.Config.AgentRadius);
        if (agent >= 0) _view.SelectedAgent = agent;
    }

    private void Reset()
    {
        TrainingSignal signal = _session.Signal;
        _session.Dispose();
        _session = NewSession(signal, load: false);
        Notify("reset: new arena and untrained networks");
    }

    private void SaveNetwork()
    {
        string name = $"{(_session.Signal == TrainingSignal.Reward ? "policy" : "brains")}-tick{_session.Simulation.Tick}.ckpt";
        Notify($"saved to {_session.SaveNetwork(_options.OutputDirectory, name)}");
    }

    private void ToggleSignal()
    {
        _session.SetSignal(_session.Signal == TrainingSignal.Imitation ? TrainingSignal.Reward : TrainingSignal.Imitation);
        Notify($"now {ViewState.SignalLabel(_session.Signal)}");
    }

    private void Notify(string message)
    {
        _view.Notice = message;
        _noticeUntil = Glfw.GetTime() + 3;
    }

    private void SaveScreenshot(string path)
    {
        string? directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (directory is not null) Directory.CreateDirectory(directory);
        _target.SavePng(path);
        Console.WriteLine($"screenshot of the window saved to {path}");
    }

    private ArenaSession NewSession(TrainingSignal? signal = null, bool load = true)
    {
        var config = new ArenaConfig { Agents = _options.Agents, Seed = _options.Seed };
        var session = new ArenaSession(config, _options.Workers, signal ?? _options.Signal, learn: !_options.Watch,
            updateStepsPerTick: _options.UpdateStepsPerTick);
        if (load && _options.LoadPath is { } path)
            session.LoadNetwork(path);
        return session;
    }

    [UnmanagedCallersOnly]
    private static void OnError(int code, byte* description) =>
        LastError = $"GLFW error 0x{code:X}: {Marshal.PtrToStringUTF8((nint)description)}";

    [UnmanagedCallersOnly]
    private static void OnKey(nint window, int key, int scancode, int action, int mods)
    {
        if (action is Glfw.Press or Glfw.Repeat) PendingKeys.Add(key);
    }

    [UnmanagedCallersOnly]
    private static void OnMouseButton(nint window, int button, int action, int mods)
    {
        if (button == Glfw.MouseButtonLeft && action == Glfw.Press) _pendingClick = true;
    }
}
