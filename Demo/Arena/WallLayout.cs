namespace EcsNeural.Demo.Arena;

/// <summary>
/// The arena's walls: the square border plus four inner bars, laid out relative to the arena size,
/// and the geometry queries the systems need (ray casts, distance to the nearest wall).
/// </summary>
public sealed class WallLayout
{
    private readonly WallSegment[] _segments;

    public WallLayout(float size)
    {
        Size = size;
        float s = size;
        _segments =
        [
            new(0, 0, s, 0), new(s, 0, s, s), new(s, s, 0, s), new(0, s, 0, 0),
            new(0.18f * s, 0.32f * s, 0.46f * s, 0.32f * s),
            new(0.70f * s, 0.12f * s, 0.70f * s, 0.44f * s),
            new(0.54f * s, 0.70f * s, 0.86f * s, 0.70f * s),
            new(0.30f * s, 0.58f * s, 0.30f * s, 0.88f * s),
        ];
    }

    /// <summary>Side length of the square the border encloses.</summary>
    public float Size { get; }

    public ReadOnlySpan<WallSegment> Segments => _segments;

    /// <summary>Distance along the unit ray (dx, dy) from (x, y) to the first wall, or <paramref name="range"/> if none is nearer.</summary>
    public float CastRay(float x, float y, float dx, float dy, float range)
    {
        float best = range;
        foreach (ref readonly WallSegment w in _segments.AsSpan())
        {
            float ex = w.X1 - w.X0, ey = w.Y1 - w.Y0;
            float denom = dx * ey - dy * ex;
            if (MathF.Abs(denom) < 1e-9f) continue; // parallel: a ray grazing a wall along its length never reads it
            float ox = w.X0 - x, oy = w.Y0 - y;
            float t = (ox * ey - oy * ex) / denom;   // distance along the ray
            float u = (ox * dy - oy * dx) / denom;   // position along the wall, 0..1
            if (t >= 0 && t < best && u >= 0 && u <= 1) best = t;
        }
        return best;
    }

    /// <summary>Distance from (x, y) to the nearest wall.</summary>
    public float DistanceToNearest(float x, float y)
    {
        float best = float.MaxValue;
        foreach (ref readonly WallSegment w in _segments.AsSpan())
        {
            float ex = w.X1 - w.X0, ey = w.Y1 - w.Y0;
            float t = Math.Clamp(((x - w.X0) * ex + (y - w.Y0) * ey) / (ex * ex + ey * ey), 0f, 1f);
            float px = w.X0 + t * ex - x, py = w.Y0 + t * ey - y;
            best = MathF.Min(best, MathF.Sqrt(px * px + py * py));
        }
        return best;
    }
}
