using System.Runtime.ExceptionServices;
using EcsNeural.Ecs.Jobs;

namespace EcsNeural.Systems.Graph;

/// <summary>
/// The jobs of one graph. The pipeline systems <see cref="Request"/> passes (forward, backward, update) during a tick;
/// <see cref="Flush"/> schedules them as one parallel-for over fixed-size instance blocks, each block going forward →
/// backward → update on one core while its data is in cache (a graph of one block runs it at once, on the calling thread,
/// splitting its heavy operations' rows over the scheduler instead); <see cref="Complete"/> waits for them. Block boundaries
/// depend on the graph's shapes, never on the worker count.
/// </summary>
/// <remarks>
/// One parallel-for rather than one job per block: its blocks are claimed lock-free, and the thread that completes the
/// graph can run every block nobody else has started, so a tick never waits for a worker that lost its core. A block's
/// failure is kept in that block's slot and the other blocks still run, so <see cref="Complete"/> reports the failure of
/// the lowest failing block, whichever thread ran which block.
/// </remarks>
internal sealed class GraphSchedule(ComputeGraph graph, IBlockExecutor executor)
{
    private JobHandle _handle;
    private JobScheduler? _scheduler;
    private JobScheduler? _pendingScheduler;
    private GraphPhases _pendingPhases;
    private ExceptionDispatchInfo?[] _blockFailures = [];

    /// <summary>
    /// Asks for a pass in this tick. Passes asked for in order (forward, backward, update) are deferred and then run
    /// together, in one parallel-for over the instance blocks; asking for a pass that does not come after the pending ones first schedules those.
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
    /// Schedules the pending passes: one parallel-for over the instance blocks, after the previous one. A graph of one
    /// block runs it now, on this thread, and its heavy operations split their rows over the same scheduler.
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
        if (graph.Program.Lanes != graph.ArrangedLanes)
        {
            _scheduler?.Complete(_handle);   // reordering moves what running blocks work on
            _handle = default;
        }
        // An interleaved program covers whole groups: the last group's spare lanes hold zeros and compute along.
        int blockSize = graph.BlockSize, instances = graph.ArrangeForPasses().Groups(graph.InstanceCount);
        int blocks = JobScheduler.GetBlockCount(instances, blockSize);
        if (_blockFailures.Length < blocks)
        {
            // Grown, never shrunk: agents that spawn and die every tick move the block count back and forth, and a new
            // array each time would be the one allocation of such a tick. The slots may be in use by the previous jobs.
            Complete();
            _blockFailures = new ExceptionDispatchInfo?[Math.Max(blocks, 2 * _blockFailures.Length)];
        }
        _scheduler = scheduler;
        if (blocks == 1)
        {
            // One block runs here, on the thread that drives the graph (the game's update thread), its heavy operations
            // splitting their rows over the scheduler. As a job it ran on whichever thread took it first, and each thread
            // that ran it for the first time sized its kernels' buffers then, at some tick long after warm-up.
            scheduler.Complete(_handle);
            _handle = default;
            new BlocksJob(executor, phases, scheduler, _blockFailures).Execute(0, 0, instances);
            return;
        }
        _handle = scheduler.ScheduleParallelFor(new BlocksJob(executor, phases, null, _blockFailures), instances, blockSize, _handle);
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
        JobHandle handle = _handle;
        _handle = default;
        scheduler.Complete(handle);
        for (int b = 0; b < _blockFailures.Length; b++)
        {
            if (_blockFailures[b] is { } failure)
            {
                Array.Clear(_blockFailures);
                failure.Throw();
            }
        }
    }

    /// <summary>
    /// Instance blocks going through the requested passes in order, on whichever worker runs each. A block's exception
    /// stays in its slot (the first one, if a later pass of the same block fails again) for <see cref="Complete"/>.
    /// </summary>
    private readonly struct BlocksJob(IBlockExecutor executor, GraphPhases phases, JobScheduler? rowScheduler, ExceptionDispatchInfo?[] failures)
        : IJobParallelFor
    {
        public void Execute(int blockIndex, int start, int end)
        {
            try
            {
                executor.Run(start, end, phases, rowScheduler);
            }
            catch (Exception error)
            {
                failures[blockIndex] ??= ExceptionDispatchInfo.Capture(Unwrap(error));
            }
        }

        // A nested job's failure (a GEMM's row blocks) arrives wrapped by the scheduler; report what went wrong.
        private static Exception Unwrap(Exception error)
        {
            while (error is AggregateException { InnerExceptions.Count: 1 } aggregate)
                error = aggregate.InnerExceptions[0];
            return error;
        }
    }
}
