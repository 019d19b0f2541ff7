namespace EcsNeural.Demo.Arena;

/// <summary>
/// The hand-written steering the networks imitate. It reads only the agent's own observation row
/// (the same inputs the network gets), so a network can in principle copy it exactly: head for the
/// nearest visible food, turn away from walls that get close, slow down for sharp turns.
/// </summary>
public static class SteeringTeacher
{
    /// <summary>Writes (turn, thrust) in [-1, 1] for one observation row into <paramref name="action"/>.</summary>
    public static void Steer(ArenaConfig config, ReadOnlySpan<float> observation, Span<float> action)
    {
        int rays = config.Rays;
        ReadOnlySpan<float> food = observation[..rays];
        ReadOnlySpan<float> wall = observation.Slice(rays, rays);

        // towards the nearest visible food: the strongest ray, refined between its neighbours
        int best = 0;
        for (int r = 1; r < rays; r++) if (food[r] > food[best]) best = r;
        float seek = 0;
        if (food[best] > 0)
        {
            float below = best > 0 ? food[best - 1] : 0, above = best < rays - 1 ? food[best + 1] : 0;
            float spacing = 2 * config.FieldOfView / (rays - 1);
            float angle = config.RayAngle(best) + 0.5f * spacing * (above - below) / (food[best] + MathF.Max(above, below));
            seek = Math.Clamp(angle / (config.MaxTurn * 6), -1f, 1f);
        }

        // away from walls that are close (beyond ~half the sensor range they are ignored): push from
        // the more blocked side; a wall straight ahead pushes towards the more open side
        float left = 0, right = 0, ahead = 0;
        for (int r = 0; r < rays; r++)
        {
            float angle = config.RayAngle(r);
            float near = MathF.Max(0, (wall[r] - 0.55f) / 0.45f);
            float danger = near * near * MathF.Max(0, MathF.Cos(angle));   // walls beside the path do not matter
            if (angle < -1e-3f) right += danger; else if (angle > 1e-3f) left += danger;
            if (MathF.Abs(angle) < config.FieldOfView * 0.4f) ahead = MathF.Max(ahead, near);
        }
        float avoid = Math.Clamp((right - left) * 1.5f + (right >= left ? 1 : -1) * ahead * 2f, -1f, 1f);
        float turn = Math.Clamp(seek * (1 - Math.Clamp(ahead * 1.5f, 0f, 1f)) + avoid, -1f, 1f);

        // slow down for sharp turns, so the turning circle is smaller than the eating radius and nothing is orbited
        float thrust = Math.Clamp(1f - 1.2f * ahead - 1.5f * MathF.Abs(turn), -0.8f, 1f);
        action[0] = turn;
        action[1] = thrust;
    }
}
