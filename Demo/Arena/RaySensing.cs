namespace EcsNeural.Demo.Arena;

/// <summary>
/// The sensing geometry: casts an agent's rays against the walls and lets each visible pellet (one not
/// behind a wall on that ray) light its two nearest rays, then writes the readings both to the agent's
/// <see cref="Sensors"/> and to its row of the observation matrix the population reads.
/// </summary>
public static class RaySensing
{
    /// <summary>
    /// Senses for one agent. It reads only shared lookups and its own components and writes only its own
    /// sensors and observation row, so agents can be sensed in any order.
    /// </summary>
    public static void Sense(ArenaConfig config, WallLayout walls, PointGrid foodGrid, ReadOnlySpan<Position> food,
        in Position position, in Motion motion, ref Sensors sensors, Span<float> observation)
    {
        int rays = config.Rays;
        float range = config.SensorRange;
        float spacing = 2 * config.FieldOfView / (rays - 1);
        Position p = position;
        float heading = motion.Heading;
        for (int r = 0; r < rays; r++)
        {
            float a = heading + config.RayAngle(r);
            sensors.Wall[r] = 1 - walls.CastRay(p.X, p.Y, MathF.Cos(a), MathF.Sin(a), range) / range;
            sensors.Food[r] = 0;
        }

        int x0 = foodGrid.CellCoordinate(p.X - range), x1 = foodGrid.CellCoordinate(p.X + range);
        int y0 = foodGrid.CellCoordinate(p.Y - range), y1 = foodGrid.CellCoordinate(p.Y + range);
        for (int cy = y0; cy <= y1; cy++)
        for (int cx = x0; cx <= x1; cx++)
        foreach (int f in foodGrid.Cell(cx, cy))
        {
            float dx = food[f].X - p.X, dy = food[f].Y - p.Y;
            float d2 = dx * dx + dy * dy;
            if (d2 >= range * range) continue;
            float relative = WrapAngle(MathF.Atan2(dy, dx) - heading);
            float rayPosition = (relative + config.FieldOfView) / spacing;   // in ray units
            if (rayPosition <= -1 || rayPosition >= rays) continue;
            float closeness = 1 - MathF.Sqrt(d2) / range;
            // overlapping receptive fields: a pellet lights its two nearest rays in proportion to how
            // close its direction is to each, so its direction can be read from their ratio
            int r0 = (int)MathF.Floor(rayPosition);
            float t = rayPosition - r0;
            if (r0 >= 0 && sensors.Wall[r0] < closeness) sensors.Food[r0] = MathF.Max(sensors.Food[r0], closeness * (1 - t));
            if (r0 + 1 < rays && sensors.Wall[r0 + 1] < closeness) sensors.Food[r0 + 1] = MathF.Max(sensors.Food[r0 + 1], closeness * t);
        }

        for (int r = 0; r < rays; r++)
        {
            observation[r] = sensors.Food[r];
            observation[rays + r] = sensors.Wall[r];
        }
        observation[2 * rays] = motion.Speed / config.MaxSpeed;
    }

    /// <summary>Maps an angle to [-π, π).</summary>
    public static float WrapAngle(float a)
    {
        a = (a + MathF.PI) % (2 * MathF.PI);
        return (a < 0 ? a + 2 * MathF.PI : a) - MathF.PI;
    }
}
