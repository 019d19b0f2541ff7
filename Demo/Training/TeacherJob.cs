using EcsNeural.Demo.Arena;
using EcsNeural.Ecs.Jobs;

namespace EcsNeural.Demo.Training;

/// <summary>The teacher's (turn, thrust) for a block of brain slots: each row reads its own observation row only.</summary>
internal readonly struct TeacherJob(ArenaConfig config, float[] observations, float[] targets) : IJobParallelFor
{
    public void Execute(int blockIndex, int start, int end)
    {
        int width = config.ObservationSize;
        for (int slot = start; slot < end; slot++)
            SteeringTeacher.Steer(config, observations.AsSpan(slot * width, width),
                targets.AsSpan(slot * ArenaConfig.ActionSize, ArenaConfig.ActionSize));
    }
}
