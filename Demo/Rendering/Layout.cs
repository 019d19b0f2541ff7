using SkiaSharp;

namespace EcsNeural.Demo.Rendering;

/// <summary>Where each part of the screen goes for a given frame size.</summary>
public readonly record struct Layout(SKRect Hud, SKRect Arena, SKRect Network, SKRect Heatmap, SKRect FoodChart, SKRect RewardChart, SKRect Help)
{
    private const float Margin = 12, BarHeight = 30;

    public static Layout For(int width, int height)
    {
        var hud = new SKRect(Margin, 6, width - Margin, 6 + BarHeight);
        var help = new SKRect(Margin, height - BarHeight, width - Margin, height - 6);
        float top = hud.Bottom + 6, bottom = help.Top - 6;
        float side = MathF.Min(bottom - top, width * 0.56f);
        var arena = new SKRect(Margin, top, Margin + side, top + side);
        float left = arena.Right + Margin, right = width - Margin, h = bottom - top;
        var network = new SKRect(left, top, right, top + h * 0.46f);
        var heatmap = new SKRect(left, network.Bottom + Margin, right, network.Bottom + Margin + h * 0.22f);
        float chartTop = heatmap.Bottom + Margin, mid = (left + right) / 2;
        var food = new SKRect(left, chartTop, mid - Margin / 2, bottom);
        var reward = new SKRect(mid + Margin / 2, chartTop, right, bottom);
        return new Layout(hud, arena, network, heatmap, food, reward, help);
    }

    /// <summary>Maps arena coordinates to screen coordinates inside <see cref="Arena"/>.</summary>
    public SKMatrix ArenaTransform(float arenaSize)
    {
        float scale = Arena.Width / arenaSize;
        return SKMatrix.CreateScaleTranslation(scale, scale, Arena.Left, Arena.Top);
    }
}
