using EcsNeural.Ecs.Jobs;

namespace EcsNeural.Demo.Arena;

/// <summary>Runs an <see cref="IAgentStep"/> over one block of rows of one chunk of agents, as a job.</summary>
internal readonly struct AgentStepJob<TStep>(AgentColumns chunk, TStep step) : IJobParallelFor
    where TStep : struct, IAgentStep
{
    public void Execute(int blockIndex, int start, int end)
    {
        TStep own = step;   // Update is not readonly: call it on a local, not on the readonly field
        for (int row = start; row < end; row++) own.Update(chunk, row);
    }
}
