namespace EcsNeural.Benchmarks.Workloads;

/// <summary>One benchmark workload: a training step (forward + backward + SGD update) that can be timed.</summary>
public interface IWorkload
{
    /// <summary>Workload id as in DESIGN.md (W1…W5) or an added id.</summary>
    string Id { get; }

    /// <summary>Implementation name written to the results (e.g. <c>ours-agents</c>).</summary>
    string Impl { get; }

    /// <summary>Floating-point operations of one step, by the formula in <see cref="FlopCount"/>.</summary>
    double FlopsPerStep { get; }

    /// <summary>Allocates and initialises everything (deterministically from a fixed seed).</summary>
    void Setup();

    /// <summary>Runs one full training step and returns when it is complete.</summary>
    void Step();

    /// <summary>
    /// The milliseconds of the last <see cref="Step"/> that count, for a workload that times part of its step itself (the
    /// PPO update among the ticks that lead to it); null (default): the whole step's wall-clock time counts.
    /// </summary>
    double? TimedMilliseconds => null;
}
