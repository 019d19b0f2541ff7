using EcsNeural.Systems.Init;

namespace EcsNeural.Demo.Arena;

/// <summary>
/// The acting step for one agent: turns it by its steering command, eases its speed towards the thrust
/// command, and moves it unless the move would bring it within its radius of a wall (then it stops).
/// </summary>
public static class Locomotion
{
    /// <summary>Stream of <see cref="KeyedRandom"/> used for the motor noise.</summary>
    private const int MotorNoiseStream = 11;

    /// <summary>
    /// Moves the agent with slot <paramref name="slot"/> at <paramref name="tick"/>; it touches only its own components.
    /// A little keyed motor noise on the heading keeps agents that met at one pellet from moving as one forever.
    /// </summary>
    public static void Move(ArenaConfig config, WallLayout walls, int slot, long tick,
        in Steering steering, ref Motion motion, ref Position position)
    {
        // the network's outputs are unbounded; the body's actuators saturate, as real motors do
        float turn = Math.Clamp(steering.Turn, -1f, 1f);
        float thrust = Math.Clamp(steering.Thrust, -1f, 1f);
        float noise = config.MotorNoise * (float)KeyedRandom.Normal(config.Seed, (ulong)slot, (ulong)tick, MotorNoiseStream);
        motion.Heading = RaySensing.WrapAngle(motion.Heading + turn * config.MaxTurn + noise);
        float targetSpeed = (thrust + 1) * 0.5f * config.MaxSpeed;
        motion.Speed += (targetSpeed - motion.Speed) * config.Acceleration;

        float nx = position.X + MathF.Cos(motion.Heading) * motion.Speed;
        float ny = position.Y + MathF.Sin(motion.Heading) * motion.Speed;
        if (walls.DistanceToNearest(nx, ny) > config.AgentRadius) { position.X = nx; position.Y = ny; }
        else motion.Speed = 0;
    }
}
