namespace EcsNeural.Demo.Arena;

/// <summary>
/// The sensing step: casts each agent's rays against the walls and finds the nearest visible food in
/// each ray's angular slice, then writes the readings both to the agent's <see cref="Sensors"/> and to
/// its row of the observation matrix the population reads.
/// </summary>
public static class RaySensing
{
    /// <summary>
    /// Senses for agents [start, end). Each agent writes only its own sensors and observation row, so
    /// disjoint ranges can run in parallel.
    /// </summary>
    public static void Sense(ArenaConfig config, WallLayout walls, FoodGrid grid, ReadOnlySpan<Position> food,
        ReadOnlySpan<Position> positions, ReadOnlySpan<Motion> motions, Span<Sensors> sensors,
        Span<float> observations, int start, int end)
    {
        int rays = config.Rays, width = config.ObservationSize;
        float range = config.SensorRange;
        float spacing = 2 * config.FieldOfView / (rays - 1);
        Span<float> wallDistance = stackalloc float[rays];
        Span<float> foodDistance = stackalloc float[rays];
        for (int i = start; i < end; i++)
        {
            Position p = positions[i];
            float heading = motions[i].Heading;
            for (int r = 0; r < rays; r++)
            {
                float a = heading + config.RayAngle(r);
                wallDistance[r] = walls.CastRay(p.X, p.Y, MathF.Cos(a), MathF.Sin(a), range);
                foodDistance[r] = range;
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
                int r = (int)MathF.Round((relative + config.FieldOfView) / spacing);
                if ((uint)r >= (uint)rays) continue;
                float d = MathF.Sqrt(d2);
                // food behind a wall on this ray is hidden
                if (d < foodDistance[r] && d < wallDistance[r]) foodDistance[r] = d;
            }

            ref Sensors s = ref sensors[i];
            Span<float> row = observations.Slice(i * width, width);
            for (int r = 0; r < rays; r++)
            {
                s.Food[r] = row[r] = 1 - foodDistance[r] / range;
                s.Wall[r] = row[rays + r] = 1 - wallDistance[r] / range;
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
