using EcsNeural.Demo.Training;
using SkiaSharp;

namespace EcsNeural.Demo.Rendering;

/// <summary>Draws food-rate curves of several runs against ticks into a PNG (raster, no window needed).</summary>
public static class LearningCurve
{
    public static void Draw(string path, string title, IReadOnlyList<(string Label, SKColor Colour, IReadOnlyList<MetricsRow> Rows)> curves,
        int width = 1100, int height = 520)
    {
        using var surface = SKSurface.Create(new SKImageInfo(width, height));
        SKCanvas canvas = surface.Canvas;
        canvas.Clear(Palette.Background);
        using var font = new SKFont(Fonts.Regular, 15);
        using var small = new SKFont(Fonts.Regular, 12);
        using var text = new SKPaint { IsAntialias = true, Color = Palette.Text };
        using var line = new SKPaint { IsAntialias = true, Style = SKPaintStyle.Stroke, StrokeWidth = 2.2f };
        var plot = new SKRect(70, 76, width - 30, height - 60);
        double highest = Math.Max(1, curves.Max(c => c.Rows.Count == 0 ? 0 : c.Rows.Max(r => r.FoodRate)));
        double step = highest > 40 ? 10 : 5, top = Math.Ceiling(highest * 1.05 / step) * step;
        long last = Math.Max(1, curves.Max(c => c.Rows.Count == 0 ? 0 : c.Rows[^1].Tick));
        float X(long tick) => plot.Left + plot.Width * tick / last;
        float Y(double rate) => plot.Bottom - (float)(rate / top) * plot.Height;

        canvas.DrawText(title, plot.Left, 30, SKTextAlign.Left, font, text);
        line.Color = Palette.PanelBorder;
        line.StrokeWidth = 1;
        for (double rate = 0; rate <= top; rate += step)
        {
            canvas.DrawLine(plot.Left, Y(rate), plot.Right, Y(rate), line);
            text.Color = Palette.DimText;
            canvas.DrawText(rate.ToString("0"), plot.Left - 8, Y(rate) + 4, SKTextAlign.Right, small, text);
        }
        for (int k = 0; k <= 6; k++)
        {
            long tick = last * k / 6;
            canvas.DrawText($"{tick:N0}", X(tick), plot.Bottom + 18, SKTextAlign.Center, small, text);
        }
        canvas.DrawText("ticks (60 per simulated second)", plot.MidX, plot.Bottom + 40, SKTextAlign.Center, small, text);
        line.StrokeWidth = 2.2f;
        float legend = plot.Left;   // one row between the title and the plot
        foreach ((string label, SKColor colour, IReadOnlyList<MetricsRow> rows) in curves)
        {
            using var path2 = new SKPath();
            for (int i = 0; i < rows.Count; i++)
            {
                if (i == 0) path2.MoveTo(X(rows[i].Tick), Y(rows[i].FoodRate)); else path2.LineTo(X(rows[i].Tick), Y(rows[i].FoodRate));
            }
            line.Color = colour;
            canvas.DrawPath(path2, line);
            canvas.DrawLine(legend, 54, legend + 28, 54, line);
            text.Color = colour;
            canvas.DrawText(label, legend + 34, 58, SKTextAlign.Left, small, text);
            legend += 34 + small.MeasureText(label) + 28;
        }
        string? directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (directory is not null)
            Directory.CreateDirectory(directory);
        using SKImage image = surface.Snapshot();
        using SKData png = image.Encode(SKEncodedImageFormat.Png, 100);
        using FileStream file = File.Create(path);
        png.SaveTo(file);
    }
}
