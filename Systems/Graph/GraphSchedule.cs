using System.Runtime.ExceptionServices;
using EcsNeural.Ecs.Jobs;

namespace EcsNeural.Systems.Graph;

/// <summary>
/// The jobs of one graph. The pipeline systems <see cref="Request"/> passes (forward, backward, update) during a tick;
/// <see cref="Flush"/> schedules them as one <see cref="BlockJob"/> per fixed-size instance block, each after that
/// block's previous job only, so a block goes forward → backward → update on one core while its data is in cache;
/// <see cref="Complete"/> waits for them. Block boundaries depend on the graph's shapes, never on the worker count.
/// </summary>
internal sealed class GraphSchedule(ComputeGraph graph, IBlockExecutor executor)
{
    private JobHandle[] _blockHandles = [];
    private JobScheduler? _scheduler;
    private JobScheduler? _pendingScheduler;
    private GraphPhases _pendingPhases;

    /// <summary>
    /// Asks for a pass in this tick. Passes asked for in order (forward, backward, update) are deferred and then run
    /// together, one job per instance block; asking for a pass that does not come after the pending ones first schedules those.
    /// </summary>
    public void Request(GraphPhases phase, JobScheduler scheduler)
    {
        bool laterThanPending = (_pendingPhases & ~(phase - 1)) == 0;
        if (_pendingPhases != GraphPhases.None && (!laterThanPending || scheduler != _pendingScheduler))
            Flush();
        _pendingPhases |= phase;
        _pendingScheduler = scheduler;
    }

    /// <summary>
    /// Schedules the pending passes: per block, one job after that block's previous job. When the graph is one block,
    /// heavy operations may split their rows over the same scheduler.
    /// </summary>
    public void Flush()
    {
        if (_pendingPhases == GraphPhases.None)
            return;
        JobScheduler scheduler = _pendingScheduler!;
        GraphPhases phases = _pendingPhases;
        _pendingPhases = GraphPhases.None;
        _pendingScheduler = null;
        graph.CompileIfChanged();
        if (graph.Program!.BlockGradientLength > 0 && (phases & GraphPhases.Update) != 0 && (phases & GraphPhases.Backward) == 0)
            throw new InvalidOperationException($"Graph {graph.Id} keeps gradients block-local (GradientMode.BlockLocal), so its update must run in "
                + "the same block job as its backward pass, but the passes were split (something waited for the graph, e.g. read its "
                + "values, between the backward and optimizer systems). Read values after the optimizer, or use GradientMode.ZeroEachStep.");
        if (_scheduler is not null && _scheduler != scheduler)
            Complete();   // jobs pending on another scheduler: their handles cannot be chained here
        int blockSize = graph.BlockSize, instances = graph.InstanceCount;
        int blocks = (instances + blockSize - 1) / blockSize;
        if (_blockHandles.Length < blocks)
        {
            // Grown, never shrunk: agents that spawn and die every tick move the block count back and forth, and a new
            // array each time was the one allocation of such a tick. The instance count changed, which waited for every
            // job already (every handle is the completed default), so no handle is lost.
            Complete();
            _blockHandles = new JobHandle[Math.Max(blocks, 2 * _blockHandles.Length)];
        }
        _scheduler = scheduler;
        JobScheduler? rowScheduler = blocks == 1 ? scheduler : null;
        for (int b = 0; b < blocks; b++)
        {
            var job = new BlockJob(executor, b * blockSize, Math.Min(instances, (b + 1) * blockSize), phases, rowScheduler);
            _blockHandles[b] = scheduler.Schedule(job, _blockHandles[b]);
        }
    }

    /// <summary>
    /// Schedules what is pending, then waits for every block job. A failure inside a job (for example a
    /// <see cref="NonFiniteValueException"/>) is rethrown here, unwrapped; the graph stays usable.
    /// </summary>
    public void Complete()
    {
        Flush();
        if (_scheduler is null)
            return;
        JobScheduler scheduler = _scheduler;
        _scheduler = null;
        Exception? failure = null;
        for (int b = 0; b < _blockHandles.Length; b++)
        {
            try
            {
                scheduler.Complete(_blockHandles[b]);
            }
            catch (Exception ex)
            {
                failure ??= ex;
            }
            _blockHandles[b] = default;
        }
        if (failure is not null)
            ExceptionDispatchInfo.Throw(Unwrap(failure));
    }

    private static Exception Unwrap(Exception ex)
    {
        while (ex is AggregateException { InnerExceptions.Count: 1 } aggregate)
            ex = aggregate.InnerExceptions[0];
        return ex;
    }

    /// <summary>One instance block going through the requested passes in order, on whichever worker runs it.</summary>
    private readonly struct BlockJob(IBlockExecutor executor, int start, int end, GraphPhases phases, JobScheduler? rowScheduler) : IJob
    {
        public void Execute() => executor.Run(start, end, phases, rowScheduler);
    }
}
