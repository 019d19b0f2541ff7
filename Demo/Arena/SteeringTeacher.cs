namespace EcsNeural.Demo.Arena;

/// <summary>
/// The hand-written steering the networks imitate, a Braitenberg vehicle: food seen on one side
/// turns the agent that way (near food counts most), walls about to be hit turn it away, and it slows
/// down while turning hard or facing a wall. It reads only the agent's own observation row (the
/// inputs the network gets) and is a smooth, nearly linear function of it, so a small network can
/// learn it online from one sample per tick.
/// </summary>
public static class SteeringTeacher
{
    /// <summary>Writes (turn, thrust) in [-1, 1] for one observation row into <paramref name="action"/>.</summary>
    public static void Steer(ArenaConfig config, ReadOnlySpan<float> observation, Span<float> action)
    {
        int rays = config.Rays;
        ReadOnlySpan<float> food = observation[..rays];
        ReadOnlySpan<float> wall = observation.Slice(rays, rays);

        float seekSum = 0, seekWeight = 0, avoid = 0, ahead = 0;
        for (int r = 0; r < rays; r++)
        {
            float angle = config.RayAngle(r) / config.FieldOfView;    // -1 (right) .. 1 (left)
            float f = MathF.Pow(food[r], Power);
            seekWeight += f;
            seekSum += f * angle;
            float facing = MathF.Max(0, 1 - MathF.Abs(angle));        // walls beside the path do not matter
            float near = MathF.Max(0, wall[r] - 0.6f) * 2.5f;         // only walls closer than 40% of the range
            float w = near * near * facing;
            avoid -= w * (angle >= 0 ? 1 : -1);                        // dead ahead counts as left: a tie-break
            ahead += w;
        }
        float seek = seekSum / (seekWeight + Epsilon);
        float turnDrive = TurnGain * seek + 2f * avoid;
        action[0] = MathF.Tanh(turnDrive);
        action[1] = MathF.Tanh(1.5f - 1.0f * MathF.Abs(turnDrive) - 1.5f * ahead);
    }

    public static float TurnGain = 6f, Power = 4, Epsilon = 0.01f;
}
