namespace EcsNeural.Demo.Arena;

/// <summary>
/// The sensing step: casts each agent's rays against the walls and lets each visible pellet (one not
/// behind a wall on that ray) light its two nearest rays, then writes the readings both to the agent's <see cref="Sensors"/> and to
/// its row of the observation matrix the population reads.
/// </summary>
public static class RaySensing
{
    /// <summary>
    /// Senses for agents [start, end). Each agent writes only its own sensors and observation row, so
    /// disjoint ranges can run in parallel.
    /// </summary>
    public static void Sense(ArenaConfig config, WallLayout walls, PointGrid grid, ReadOnlySpan<Position> food,
        ReadOnlySpan<Position> positions, ReadOnlySpan<Motion> motions, Span<Sensors> sensors,
        Span<float> observations, int start, int end)
    {
        int rays = config.Rays, width = config.ObservationSize;
        float range = config.SensorRange;
        float spacing = 2 * config.FieldOfView / (rays - 1);
        Span<float> wallCloseness = stackalloc float[rays];
        Span<float> foodCloseness = stackalloc float[rays];
        for (int i = start; i < end; i++)
        {
            Position p = positions[i];
            float heading = motions[i].Heading;
            for (int r = 0; r < rays; r++)
            {
                float a = heading + config.RayAngle(r);
                wallCloseness[r] = 1 - walls.CastRay(p.X, p.Y, MathF.Cos(a), MathF.Sin(a), range) / range;
                foodCloseness[r] = 0;
            }

            int x0 = grid.CellCoordinate(p.X - range), x1 = grid.CellCoordinate(p.X + range);
            int y0 = grid.CellCoordinate(p.Y - range), y1 = grid.CellCoordinate(p.Y + range);
            for (int cy = y0; cy <= y1; cy++)
            for (int cx = x0; cx <= x1; cx++)
            foreach (int f in grid.Cell(cx, cy))
            {
                float dx = food[f].X - p.X, dy = food[f].Y - p.Y;
                float d2 = dx * dx + dy * dy;
                if (d2 >= range * range) continue;
                float relative = WrapAngle(MathF.Atan2(dy, dx) - heading);
                float position = (relative + config.FieldOfView) / spacing;   // in ray units
                if (position <= -1 || position >= rays) continue;
                float closeness = 1 - MathF.Sqrt(d2) / range;
                // overlapping receptive fields: a pellet lights its two nearest rays in proportion to how
                // close its direction is to each, so its direction can be read from their ratio
                int r0 = (int)MathF.Floor(position);
                float t = position - r0;
                if (r0 >= 0 && wallCloseness[r0] < closeness) foodCloseness[r0] = MathF.Max(foodCloseness[r0], closeness * (1 - t));
                if (r0 + 1 < rays && wallCloseness[r0 + 1] < closeness) foodCloseness[r0 + 1] = MathF.Max(foodCloseness[r0 + 1], closeness * t);
            }

            ref Sensors s = ref sensors[i];
            Span<float> row = observations.Slice(i * width, width);
            for (int r = 0; r < rays; r++)
            {
                s.Food[r] = row[r] = foodCloseness[r];
                s.Wall[r] = row[rays + r] = wallCloseness[r];
            }
            row[2 * rays] = motions[i].Speed / config.MaxSpeed;
        }
    }

    /// <summary>Maps an angle to [-π, π).</summary>
    public static float WrapAngle(float a)
    {
        a = (a + MathF.PI) % (2 * MathF.PI);
        return (a < 0 ? a + 2 * MathF.PI : a) - MathF.PI;
    }
}
