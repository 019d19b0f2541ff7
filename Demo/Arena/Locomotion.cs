namespace EcsNeural.Demo.Arena;

/// <summary>
/// The acting step: turns each agent by its steering command, eases its speed towards the thrust
/// command, and moves it unless the move would bring it within its radius of a wall (then it stops).
/// </summary>
public static class Locomotion
{
    /// <summary>Stream of <see cref="KeyedRandom"/> used for the motor noise.</summary>
    private const int MotorNoiseStream = 11;

    /// <summary>
    /// Moves agents [start, end) at <paramref name="tick"/>; each agent touches only its own components.
    /// A little keyed motor noise on the heading keeps agents that met at one pellet from moving as one forever.
    /// </summary>
    public static void Move(ArenaConfig config, WallLayout walls, ReadOnlySpan<Steering> steering,
        Span<Motion> motions, Span<Position> positions, long tick, int start, int end)
    {
        for (int i = start; i < end; i++)
        {
            // the network's outputs are unbounded; the body's actuators saturate, as real motors do
            float turn = Math.Clamp(steering[i].Turn, -1f, 1f);
            float thrust = Math.Clamp(steering[i].Thrust, -1f, 1f);
            ref Motion m = ref motions[i];
            float noise = config.MotorNoise * KeyedRandom.Normal(config.Seed, i, tick, MotorNoiseStream);
            m.Heading = RaySensing.WrapAngle(m.Heading + turn * config.MaxTurn + noise);
            float targetSpeed = (thrust + 1) * 0.5f * config.MaxSpeed;
            m.Speed += (targetSpeed - m.Speed) * config.Acceleration;

            ref Position p = ref positions[i];
            float nx = p.X + MathF.Cos(m.Heading) * m.Speed;
            float ny = p.Y + MathF.Sin(m.Heading) * m.Speed;
            if (walls.DistanceToNearest(nx, ny) > config.AgentRadius) { p.X = nx; p.Y = ny; }
            else m.Speed = 0;
        }
    }
}
