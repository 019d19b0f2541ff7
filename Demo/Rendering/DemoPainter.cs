using EcsNeural.Demo.Arena;
using EcsNeural.Demo.Training;
using EcsNeural.Ecs;
using SkiaSharp;

namespace EcsNeural.Demo.Rendering;

/// <summary>
/// Draws one frame of the demo on any canvas: the arena with agents, food and the selected agent's
/// rays; the network driving the selected agent, read from the module's graphs; a heatmap of a hidden layer across all
/// agents; the food-rate and reward curves with the ticks where the training signal switched; the HUD and the help line.
/// </summary>
public sealed class DemoPainter : IDisposable
{
    /// <summary>Hidden layer shown in the heatmap (1 = first hidden layer).</summary>
    public const int HeatmapLayer = 2;

    private readonly SKPaint _fill = new() { IsAntialias = true, Style = SKPaintStyle.Fill };
    private readonly SKPaint _stroke = new() { IsAntialias = true, Style = SKPaintStyle.Stroke };
    private readonly SKFont _font = new(Fonts.Regular, 14);
    private readonly SKFont _small = new(Fonts.Regular, 11.5f);
    private readonly SKFont _title = new(Fonts.Regular, 13) { Embolden = true };
    private readonly SKPath _agentShape = new();
    private SKBitmap? _heatmap;

    public void Draw(SKCanvas canvas, int width, int height, ArenaSession session, ViewState view)
    {
        var layout = Layout.For(width, height);
        canvas.Clear(Palette.Background);
        DrawArena(canvas, layout, session, view);
        NetworkView? network = session.Network;
        int row = network?.RowOf(session.Simulation.World, session.Simulation.AgentOf(view.SelectedAgent)) ?? -1;
        DrawNetwork(canvas, layout.Network, session, network, view.SelectedAgent, row);
        DrawHeatmap(canvas, layout.Heatmap, network, row);
        DrawChart(canvas, layout.FoodChart, "food per agent per minute", session.Metrics, r => r.FoodRate, Palette.Food);
        DrawChart(canvas, layout.RewardChart, "reward per agent per minute", session.Metrics, r => r.RewardRate, Palette.Reward);
        DrawHud(canvas, layout.Hud, session, view);
        DrawText(canvas, view.HelpLine, layout.Help.Left, layout.Help.Bottom - 6, _font, Palette.DimText);
    }

    public void Dispose()
    {
        _fill.Dispose(); _stroke.Dispose(); _font.Dispose(); _small.Dispose(); _title.Dispose();
        _agentShape.Dispose(); _heatmap?.Dispose();
    }

    private void DrawArena(SKCanvas canvas, Layout layout, ArenaSession session, ViewState view)
    {
        ArenaSimulation sim = session.Simulation;
        ArenaConfig config = sim.Config;
        Fill(canvas, layout.Arena, Palette.ArenaFloor);
        canvas.Save();
        canvas.ClipRect(layout.Arena);   // rays reach past the walls
        canvas.SetMatrix(canvas.TotalMatrix.PreConcat(layout.ArenaTransform(config.Size)));
        float pixel = config.Size / layout.Arena.Width;   // one screen pixel in arena units

        _fill.Color = Palette.Food;
        float foodRadius = MathF.Max(config.EatRadius * 0.45f, 1.6f * pixel);
        foreach (Chunk chunk in sim.World.Query(ArenaSimulation.Food))
            foreach (Position f in chunk.GetSpan<Position>()) canvas.DrawCircle(f.X, f.Y, foodRadius, _fill);

        int selected = Math.Clamp(view.SelectedAgent, 0, config.Agents - 1);
        Entity selectedAgent = sim.AgentOf(selected);
        DrawRays(canvas, sim, selectedAgent, pixel);

        float body = MathF.Max(config.AgentRadius * 1.3f, 3.5f * pixel);
        float maxEaten = 1;
        foreach (Chunk chunk in sim.World.Query(ArenaSimulation.Agents))
            foreach (Forager f in chunk.GetSpan<Forager>()) maxEaten = MathF.Max(maxEaten, f.Eaten);
        foreach (Chunk chunk in sim.World.Query(ArenaSimulation.Agents))
        {
            Span<Position> positions = chunk.GetSpan<Position>();
            Span<Motion> motions = chunk.GetSpan<Motion>();
            Span<Forager> foragers = chunk.GetSpan<Forager>();
            for (int i = 0; i < chunk.Count; i++)
            {
                // brighter agents have eaten more
                bool isSelected = foragers[i].Slot == selected;
                float share = 0.35f + 0.65f * foragers[i].Eaten / maxEaten;
                _fill.Color = isSelected ? Palette.Selected : Palette.Agent.WithAlpha((byte)(255 * share));
                DrawAgent(canvas, positions[i], motions[i].Heading, isSelected ? body * 1.6f : body);
            }
        }

        _stroke.Color = Palette.Wall;
        _stroke.StrokeWidth = 2.5f * pixel;
        _stroke.StrokeCap = SKStrokeCap.Round;
        foreach (WallSegment w in sim.Walls.Segments) canvas.DrawLine(w.X0, w.Y0, w.X1, w.Y1, _stroke);
        canvas.Restore();

        Position p = sim.World.Get<Position>(selectedAgent);
        SKPoint screen = layout.ArenaTransform(config.Size).MapPoint(p.X, p.Y);
        DrawText(canvas, $"#{selected}  ate {sim.World.Get<Forager>(selectedAgent).Eaten}", screen.X + 10, screen.Y - 10, _small, Palette.Selected);
    }

    private void DrawRays(SKCanvas canvas, ArenaSimulation sim, Entity agent, float pixel)
    {
        ArenaConfig config = sim.Config;
        Position p = sim.World.Get<Position>(agent);
        float heading = sim.World.Get<Motion>(agent).Heading;
        Sensors s = sim.World.Get<Sensors>(agent);
        _stroke.StrokeCap = SKStrokeCap.Round;
        for (int r = 0; r < config.Rays; r++)
        {
            float a = heading + config.RayAngle(r);
            float dx = MathF.Cos(a), dy = MathF.Sin(a);
            // faint full-range ray, then the part up to what it sees, coloured by what that is
            _stroke.StrokeWidth = 1f * pixel;
            _stroke.Color = Palette.Text.WithAlpha(40);
            canvas.DrawLine(p.X, p.Y, p.X + dx * config.SensorRange, p.Y + dy * config.SensorRange, _stroke);
            float food = s.Food[r], wall = s.Wall[r];
            if (wall > 0)
            {
                float d = (1 - wall) * config.SensorRange;
                _stroke.StrokeWidth = 1.6f * pixel;
                _stroke.Color = Palette.WallRay.WithAlpha(170);
                canvas.DrawLine(p.X, p.Y, p.X + dx * d, p.Y + dy * d, _stroke);
            }
            if (food > 0)
            {
                float d = (1 - food) * config.SensorRange;
                _stroke.StrokeWidth = 2.2f * pixel;
                _stroke.Color = Palette.Food.WithAlpha(230);
                canvas.DrawLine(p.X, p.Y, p.X + dx * d, p.Y + dy * d, _stroke);
            }
        }
    }

    private void DrawAgent(SKCanvas canvas, Position p, float heading, float size)
    {
        float c = MathF.Cos(heading), s = MathF.Sin(heading);
        _agentShape.Rewind();
        _agentShape.MoveTo(p.X + c * size * 1.4f, p.Y + s * size * 1.4f);
        _agentShape.LineTo(p.X - c * size * 0.8f - s * size * 0.9f, p.Y - s * size * 0.8f + c * size * 0.9f);
        _agentShape.LineTo(p.X - c * size * 0.4f, p.Y - s * size * 0.4f);
        _agentShape.LineTo(p.X - c * size * 0.8f + s * size * 0.9f, p.Y - s * size * 0.8f - c * size * 0.9f);
        _agentShape.Close();
        canvas.DrawPath(_agentShape, _fill);
    }

    private void DrawNetwork(SKCanvas canvas, SKRect area, ArenaSession session, NetworkView? network, int agent, int row)
    {
        if (network is null || row < 0)
        {
            Panel(canvas, area, $"agent #{agent} is driven by the hand-written teacher (no network)");
            return;
        }
        Panel(canvas, area, $"{network.Title} of agent #{agent}   (neurons: activation, edges: weight sign and size)");
        IReadOnlyList<int> sizes = network.LayerSizes;
        var inner = new SKRect(area.Left + 70, area.Top + 34, area.Right - 70, area.Bottom - 14);
        int layers = sizes.Count;
        float Column(int l) => inner.Left + inner.Width * l / (layers - 1);
        float Row(int l, int j) => inner.Top + inner.Height * (j + 0.5f) / sizes[l];

        // edges first, faint ones under strong ones is good enough at this density
        for (int l = 0; l < layers - 1; l++)
        {
            ReadOnlySpan<float> w = network.Weights(row, l);
            float maxAbs = 1e-6f;
            foreach (float v in w) maxAbs = MathF.Max(maxAbs, MathF.Abs(v));
            int nOut = sizes[l + 1];
            float x0 = Column(l), x1 = Column(l + 1);
            for (int i = 0; i < sizes[l]; i++)
            for (int o = 0; o < nOut; o++)
            {
                float v = w[i * nOut + o] / maxAbs;
                float a = MathF.Abs(v);
                if (a < 0.08f) continue;
                _stroke.Color = (v > 0 ? Palette.Positive : Palette.Negative).WithAlpha((byte)(40 + 170 * a * a));
                _stroke.StrokeWidth = 0.4f + 2.2f * a;
                canvas.DrawLine(x0, Row(l, i), x1, Row(l + 1, o), _stroke);
            }
        }

        float radius = MathF.Min(7, inner.Height / sizes.Max() * 0.42f);
        _stroke.StrokeWidth = 1;
        _stroke.Color = Palette.PanelBorder;
        for (int l = 0; l < layers; l++)
        {
            int width = sizes[l];
            ReadOnlySpan<float> act = network.Activations(l).Slice(row * width, width);
            for (int j = 0; j < width; j++)
            {
                _fill.Color = Palette.Diverging(act[j]);
                canvas.DrawCircle(Column(l), Row(l, j), radius, _fill);
                canvas.DrawCircle(Column(l), Row(l, j), radius, _stroke);
            }
        }
        ArenaConfig config = session.Config;
        DrawText(canvas, "food rays", inner.Left - 64, Row(0, config.Rays / 2) + 4, _small, Palette.Food);
        DrawText(canvas, "wall rays", inner.Left - 64, Row(0, config.Rays + config.Rays / 2) + 4, _small, Palette.WallRay);
        DrawText(canvas, "speed", inner.Left - 64, Row(0, 2 * config.Rays) + 4, _small, Palette.DimText);
        DrawText(canvas, "turn", inner.Right + 12, Row(layers - 1, 0) + 4, _small, Palette.Text);
        DrawText(canvas, "thrust", inner.Right + 12, Row(layers - 1, 1) + 4, _small, Palette.Text);
    }

    private void DrawHeatmap(SKCanvas canvas, SKRect area, NetworkView? network, int selectedRow)
    {
        if (network is null)
        {
            Panel(canvas, area, "no network: the teacher drives");
            return;
        }
        int width = network.LayerSizes[HeatmapLayer], rows = network.Rows;
        Panel(canvas, area, $"hidden layer {HeatmapLayer}, {network.Title}, all {rows} agents (row = neuron, column = agent)");
        if (_heatmap is null || _heatmap.Width != rows || _heatmap.Height != width)
        {
            _heatmap?.Dispose();
            _heatmap = new SKBitmap(rows, width, SKColorType.Rgba8888, SKAlphaType.Premul);
        }
        ReadOnlySpan<float> act = network.Activations(HeatmapLayer);
        for (int a = 0; a < rows; a++)
        for (int j = 0; j < width; j++)
            _heatmap.SetPixel(a, j, Palette.Diverging(act[a * width + j]));
        var target = new SKRect(area.Left + 8, area.Top + 26, area.Right - 8, area.Bottom - 8);
        using (var image = SKImage.FromBitmap(_heatmap))
            canvas.DrawImage(image, target, new SKSamplingOptions(SKFilterMode.Nearest));
        if (selectedRow < 0)
            return;
        float x = target.Left + target.Width * (selectedRow + 0.5f) / rows;
        _stroke.Color = Palette.Selected;
        _stroke.StrokeWidth = 1.5f;
        canvas.DrawLine(x, target.Top - 3, x, target.Bottom + 3, _stroke);
    }

    private void DrawChart(SKCanvas canvas, SKRect area, string title, IReadOnlyList<MetricsRow> rows, Func<MetricsRow, double> value, SKColor color)
    {
        Panel(canvas, area, title);
        var plot = new SKRect(area.Left + 44, area.Top + 28, area.Right - 10, area.Bottom - 22);
        _stroke.StrokeWidth = 1;
        _stroke.Color = Palette.PanelBorder;
        canvas.DrawLine(plot.Left, plot.Bottom, plot.Right, plot.Bottom, _stroke);
        canvas.DrawLine(plot.Left, plot.Top, plot.Left, plot.Bottom, _stroke);
        if (rows.Count < 2) { DrawText(canvas, "collecting…", plot.Left + 8, plot.MidY, _small, Palette.DimText); return; }

        double lo = 0, hi = double.MinValue;
        foreach (MetricsRow r in rows) { hi = Math.Max(hi, value(r)); lo = Math.Min(lo, value(r)); }
        if (hi - lo < 1e-9) hi = lo + 1;
        long firstTick = rows[0].Tick, lastTick = rows[^1].Tick;
        float X(long tick) => plot.Left + plot.Width * (tick - firstTick) / Math.Max(1, lastTick - firstTick);
        // a switch of the training signal: a vertical mark labelled with what drives the agents from there on
        for (int i = 1; i < rows.Count; i++)
        {
            if (rows[i].Signal == rows[i - 1].Signal) continue;
            float x = X(rows[i - 1].Tick);
            _stroke.Color = Palette.Selected.WithAlpha(150);
            _stroke.StrokeWidth = 1;
            canvas.DrawLine(x, plot.Top, x, plot.Bottom, _stroke);
            DrawText(canvas, $"→ {rows[i].Signal?.ToString().ToLowerInvariant() ?? "teacher"}", x + 3, plot.Top + 20, _small, Palette.Selected);
        }
        using var path = new SKPath();
        for (int i = 0; i < rows.Count; i++)
        {
            float y = plot.Bottom - (float)((value(rows[i]) - lo) / (hi - lo)) * plot.Height;
            if (i == 0) path.MoveTo(X(rows[i].Tick), y); else path.LineTo(X(rows[i].Tick), y);
        }
        _stroke.Color = color;
        _stroke.StrokeWidth = 1.8f;
        canvas.DrawPath(path, _stroke);

        DrawText(canvas, hi.ToString("0.#"), area.Left + 4, plot.Top + 8, _small, Palette.DimText);
        DrawText(canvas, lo.ToString("0.#"), area.Left + 4, plot.Bottom, _small, Palette.DimText);
        DrawText(canvas, $"now {value(rows[^1]):G3}", plot.Right - 80, plot.Top + 8, _small, color);
        DrawText(canvas, $"tick {firstTick}", plot.Left, plot.Bottom + 15, _small, Palette.DimText);
        DrawText(canvas, $"{lastTick}", plot.Right - 40, plot.Bottom + 15, _small, Palette.DimText);
    }

    private void DrawHud(SKCanvas canvas, SKRect area, ArenaSession session, ViewState view)
    {
        string fps = view.FramesPerSecond > 0 ? $"{view.FramesPerSecond:F0} fps   " : "";
        string learning = session.TeacherDrives ? "teacher drives"
            : session.Signal == TrainingSignal.Imitation ? $"imitating the teacher, loss {session.LastLoss:G3}"
            : $"PPO: {session.Policy.Updates} updates, entropy {session.Policy.LastUpdate.Entropy:F2}";
        string text = $"tick {session.Simulation.Tick}   {view.TicksPerSecond:F0} ticks/s   {fps}" +
                      $"module {session.LastTrainMilliseconds:F2} ms/tick   agents {session.Config.Agents}   {learning}   {view.SpeedLabel}";
        DrawText(canvas, text, area.Left, area.MidY + 5, _font, Palette.Text);
        if (view.Notice is { } notice)
            DrawText(canvas, notice, area.Right - _font.MeasureText(notice), area.MidY + 5, _font, Palette.Selected);
    }

    private void Panel(SKCanvas canvas, SKRect area, string title)
    {
        Fill(canvas, area, Palette.Panel);
        _stroke.Color = Palette.PanelBorder;
        _stroke.StrokeWidth = 1;
        canvas.DrawRoundRect(area, 6, 6, _stroke);
        DrawText(canvas, title, area.Left + 10, area.Top + 18, _title, Palette.DimText);
    }

    private void Fill(SKCanvas canvas, SKRect area, SKColor color)
    {
        _fill.Color = color;
        canvas.DrawRoundRect(area, 6, 6, _fill);
    }

    private void DrawText(SKCanvas canvas, string text, float x, float y, SKFont font, SKColor color)
    {
        _fill.Color = color;
        canvas.DrawText(text, x, y, SKTextAlign.Left, font, _fill);
    }
}
