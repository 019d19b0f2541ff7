using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using EcsNeural.Components.Agents;
using EcsNeural.Ecs;

namespace EcsNeural.Demo.Arena;

/// <summary>
/// One chunk of agents as pointers to the starts of its component columns, so a job struct (which cannot hold a
/// span) can carry them to another thread. The world's columns are pinned; the pointers stay valid while the
/// chunk's iteration is open, which refuses structural changes (see <see cref="ArenaSimulation.RunOnAgents{TStep}"/>).
/// Row <c>i</c> of every column is the same agent.
/// </summary>
public readonly unsafe struct AgentColumns
{
    public readonly Forager* Foragers;
    public readonly Position* Positions;
    public readonly Motion* Motions;
    public readonly Sensors* Sensors;
    public readonly Steering* Steerings;
    public readonly Observation* Observations;

    /// <summary>Points at the columns of <paramref name="chunk"/>, a chunk of the <see cref="ArenaSimulation.Agents"/> query.</summary>
    public AgentColumns(Chunk chunk)
    {
        Foragers = Start(chunk.GetSpan<Forager>());
        Positions = Start(chunk.GetSpan<Position>());
        Motions = Start(chunk.GetSpan<Motion>());
        Sensors = Start(chunk.GetSpan<Sensors>());
        Steerings = Start(chunk.GetSpan<Steering>());
        Observations = Start(chunk.GetSpan<Observation>());
    }

    private static T* Start<T>(Span<T> column) where T : unmanaged => (T*)Unsafe.AsPointer(ref MemoryMarshal.GetReference(column));
}
