using EcsNeural.Systems.Init;

namespace EcsNeural.Demo.Arena;

/// <summary>
/// The eating and respawning rules. Agents eat in brain-slot order, so when two reach one pellet in
/// the same tick the same agent gets it on every run; an eaten pellet reappears at once at a place
/// drawn from the keyed generator, away from walls, so the amount of food stays constant.
/// </summary>
public static class Feeding
{
    /// <summary>
    /// Lets every agent, in slot order, eat the pellets within its eat radius: <paramref name="positions"/> and
    /// <paramref name="ate"/> are by slot, <paramref name="food"/> and <paramref name="eaten"/> by pellet index
    /// (<paramref name="grid"/> indexes <paramref name="food"/>). Returns how many were eaten.
    /// </summary>
    public static int Eat(ArenaConfig config, PointGrid grid, ReadOnlySpan<Position> food, Span<bool> eaten,
        ReadOnlySpan<Position> positions, Span<int> ate)
    {
        float r2 = config.EatRadius * config.EatRadius;
        int total = 0;
        for (int i = 0; i < positions.Length; i++)
        {
            Position p = positions[i];
            ate[i] = 0;
            int x0 = grid.CellCoordinate(p.X - config.EatRadius), x1 = grid.CellCoordinate(p.X + config.EatRadius);
            int y0 = grid.CellCoordinate(p.Y - config.EatRadius), y1 = grid.CellCoordinate(p.Y + config.EatRadius);
            for (int cy = y0; cy <= y1; cy++)
            for (int cx = x0; cx <= x1; cx++)
            foreach (int f in grid.Cell(cx, cy))
            {
                if (eaten[f]) continue;
                float dx = food[f].X - p.X, dy = food[f].Y - p.Y;
                if (dx * dx + dy * dy > r2) continue;
                eaten[f] = true;
                ate[i]++;
                total++;
            }
        }
        return total;
    }

    /// <summary>Places pellet <paramref name="pellet"/> anew for <paramref name="tick"/>, clear of walls.</summary>
    public static Position SpawnPosition(ArenaConfig config, WallLayout walls, int pellet, long tick)
    {
        float margin = config.EatRadius + config.AgentRadius;
        for (int attempt = 0; ; attempt++)
        {
            float x = margin + KeyedRandom.UniformSingle(config.Seed, (ulong)pellet, (ulong)tick, 2 * (ulong)attempt) * (walls.Size - 2 * margin);
            float y = margin + KeyedRandom.UniformSingle(config.Seed, (ulong)pellet, (ulong)tick, 2 * (ulong)attempt + 1) * (walls.Size - 2 * margin);
            if (walls.DistanceToNearest(x, y) > margin) return new Position(x, y);
        }
    }
}
