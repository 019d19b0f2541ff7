namespace EcsNeural.Demo.Arena;

/// <summary>
/// Agents are solid: after moving, each overlapping pair is pushed apart. Each agent reads the
/// positions from before this step and writes only its own, so the result does not depend on order.
/// Without it, agents that chase the same pellet merge and move as one from then on.
/// </summary>
public static class Crowding
{
    /// <summary>
    /// Pushes the agent with slot <paramref name="slot"/> out of its neighbours; <paramref name="before"/>
    /// holds every agent's position by slot and <paramref name="grid"/> indexes it.
    /// </summary>
    public static void Separate(ArenaConfig config, WallLayout walls, PointGrid grid, ReadOnlySpan<Position> before,
        int slot, ref Position position)
    {
        float diameter = 2 * config.AgentRadius;
        Position p = before[slot];
        float pushX = 0, pushY = 0;
        int x0 = grid.CellCoordinate(p.X - diameter), x1 = grid.CellCoordinate(p.X + diameter);
        int y0 = grid.CellCoordinate(p.Y - diameter), y1 = grid.CellCoordinate(p.Y + diameter);
        for (int cy = y0; cy <= y1; cy++)
        for (int cx = x0; cx <= x1; cx++)
        foreach (int j in grid.Cell(cx, cy))
        {
            if (j == slot) continue;
            float dx = p.X - before[j].X, dy = p.Y - before[j].Y;
            float d2 = dx * dx + dy * dy;
            if (d2 >= diameter * diameter) continue;
            float d = MathF.Sqrt(d2);
            // two agents on one spot: split them along a direction fixed by their slots
            if (d < 1e-4f) { dx = slot < j ? 1 : -1; dy = 0; d = 1; }
            float overlap = (diameter - d) * 0.5f;
            pushX += dx / d * overlap;
            pushY += dy / d * overlap;
        }
        float nx = p.X + pushX, ny = p.Y + pushY;
        if ((pushX != 0 || pushY != 0) && walls.DistanceToNearest(nx, ny) > config.AgentRadius)
            position = new Position(nx, ny);
    }
}
