using System.Numerics;
using System.Numerics.Tensors;
using EcsNeural.Components;
using EcsNeural.Ecs.Jobs;
using EcsNeural.Systems.Kernels;
using EcsNeural.Systems.Ops;
using EcsNeural.Systems.Optimizers;

namespace EcsNeural.Systems.Graph;

/// <summary>Runs a graph's passes for a range of instances, whatever the element type; what a block job calls.</summary>
internal interface IBlockExecutor
{
    /// <summary>The requested passes, forward → backward → update, for the instances [start, end).</summary>
    void Run(int start, int end, GraphPhases phases, JobScheduler? rowScheduler);

    /// <summary>
    /// Sizes the calling thread's block scratch (gradients, update undo) now: the compiling thread runs blocks too while it
    /// waits for them, and would otherwise allocate its buffers in whichever frame it first happens to.
    /// </summary>
    void ReserveScratch(CompiledProgram program);
}

/// <summary>
/// Where the work of a tick happens: for one instance block, the forward pass (operations in topological order), the
/// backward pass (reverse topological order over G′, each operation adding its Jacobian-transposed product into its
/// inputs' gradients) and the optimizer's update, each a loop over the compiled program calling
/// <see cref="Operations"/> for the block's instances. Values live in the <see cref="TensorArena{T}"/>; gradients there
/// too, or in a per-thread scratch holding this block only (<see cref="GradientMode.BlockLocal"/>).
/// </summary>
internal sealed class BlockExecutor<T>(ComputeGraph graph, TensorArena<T> arena) : IBlockExecutor where T : unmanaged, IFloatingPointIeee754<T>
{
    private T[] _chunkMagnitudes = [];   // a one-block graph's parallel finite scan: one block at a time uses it
    private readonly RowScratch<T> _rowScratch = new();   // likewise, for its ops' row jobs

    public void Run(int start, int end, GraphPhases phases, JobScheduler? rowScheduler)
    {
        CompiledProgram program = graph.Program!;
        int scratchLength = program.BlockGradientLength;
        // Gradients in the arena, or a forward pass alone (which touches none): no scratch.
        bool scratch = scratchLength > 0 && (phases & (GraphPhases.Backward | GraphPhases.Update)) != 0;
        // An update checked for divergence measures, and may keep, what it overwrites, to put it back.
        bool guarded = graph.CheckFinite && (phases & GraphPhases.Update) != 0;
        // Instance `start` is the scratch's instance 0.
        var gradients = scratch ? new Storage(BlockScratch<T>.Rent(scratchLength), start) : new Storage(arena.Data, 0);
        var guard = guarded ? new UpdateGuard(BlockScratch<T>.Rent(UpdateGuard.Length(program, end - start)), program.Parameters.Length) : default;
        // Plain SGD on block-local gradients, unchecked: an interleaved dense layer's backward pass applies its own update.
        bool fused = (phases & GraphPhases.Update) != 0 && graph.FusesUpdate;
        try
        {
            if (end > graph.InstanceCount)
                ClearSpareLanes(program, graph.InstanceCount, end);
            if ((phases & GraphPhases.Forward) != 0)
                Forward(program, start, end, gradients, rowScheduler, guard);
            if ((phases & GraphPhases.Backward) != 0)
                Backward(program, start, end, gradients, rowScheduler, guard, fused);
            if ((phases & GraphPhases.Update) != 0)
                Update(program, start, end, gradients, guard, fused);
        }
        finally
        {
            if (guarded)
                BlockScratch<T>.Return();
            if (scratch)
                BlockScratch<T>.Return();
        }
    }

    /// <summary>
    /// An interleaved graph's last block covers whole groups: its lanes past the last instance belong to no instance. They
    /// start every pass from zero leaves and optimizer state, so what they compute is the same small, finite thing every
    /// tick and no check can trip on it.
    /// </summary>
    private void ClearSpareLanes(CompiledProgram program, int instances, int end)
    {
        LaneLayout lanes = program.Lanes;
        for (int i = instances; i < end; i++)
        {
            foreach (int t in program.Leaves)
                lanes.Clear(arena.Data, program.Nodes[t].Output.Value, program.Nodes[t].Output.Length, i);
            foreach (ParameterSlots p in program.Parameters)
            {
                if (p.FirstState >= 0)
                    lanes.Clear(arena.Data, p.FirstState, p.Length, i);
                if (p.SecondState >= 0)
                    lanes.Clear(arena.Data, p.SecondState, p.Length, i);
            }
        }
    }

    public void ReserveScratch(CompiledProgram program)
    {
        int blockSize = Math.Min(program.BlockSize, Math.Max(1, graph.InstanceCapacity));
        if (program.BlockGradientLength > 0)
            BlockScratch<T>.Rent(program.BlockGradientLength);
        if (graph.CheckFinite && program.Parameters.Length > 0)
        {
            BlockScratch<T>.Rent(UpdateGuard.Length(program, blockSize));
            BlockScratch<T>.Return();
        }
        if (program.BlockGradientLength > 0)
            BlockScratch<T>.Return();
    }

    /// <summary>
    /// What a block's checked update works with, in one per-thread buffer: the largest magnitude of each parameter's
    /// values and gradients, as this block's forward and backward finite scans measured them (NaN until measured), then
    /// room for a copy of every parameter's values and optimizer state.
    /// </summary>
    private readonly struct UpdateGuard
    {
        private readonly T[]? _buffer;
        private readonly int _parameters;

        public UpdateGuard(T[] buffer, int parameters)
        {
            _buffer = buffer;
            _parameters = parameters;
            buffer.AsSpan(0, 2 * parameters).Fill(T.NaN);
        }

        public bool IsActive => _buffer is not null;
        public ref T ValueMagnitude(int parameter) => ref _buffer![parameter];
        public ref T GradientMagnitude(int parameter) => ref _buffer![_parameters + parameter];
        public Span<T> Copy => _buffer.AsSpan(2 * _parameters);

        public static int Length(CompiledProgram program, int instances)
        {
            int length = 2 * program.Parameters.Length;
            foreach (ParameterSlots p in program.Parameters)
                length += p.Length * instances * (1 + (p.FirstState >= 0 ? 1 : 0) + (p.SecondState >= 0 ? 1 : 0));
            return length;
        }
    }

    private void Forward(CompiledProgram program, int start, int end, Storage gradients, JobScheduler? rowScheduler, UpdateGuard guard)
    {
        T[] data = arena.Data;
        bool checkFinite = graph.CheckFinite;
        if (checkFinite)
        {
            foreach (int t in program.Leaves)
            {
                T magnitude = RequireFinite(program.Nodes[t], new Storage(data, 0), program.Nodes[t].Output.Value, start, end, inGradient: false, rowScheduler);
                if (guard.IsActive && program.ParameterIndex[t] >= 0)
                    guard.ValueMagnitude(program.ParameterIndex[t]) = magnitude;
            }
        }
        foreach (int t in program.ForwardSteps)
        {
            ref readonly CompiledNode node = ref program.Nodes[t];
            RunPass(program, t, start, end, gradients, rowScheduler, backward: false, updates: false);
            if (checkFinite && !Operations.FiniteForFiniteInputs(node.Op))   // its inputs were checked
                RequireFinite(node, new Storage(data, 0), node.Output.Value, start, end, inGradient: false, rowScheduler);
        }
    }

    private void Backward(CompiledProgram program, int start, int end, Storage gradients, JobScheduler? rowScheduler, UpdateGuard guard, bool fused)
    {
        if (program.Loss < 0)
            return;
        bool checkFinite = graph.CheckFinite;
        foreach (int t in program.ClearedGradients)
            gradients.Range(program.Nodes[t].Output.Gradient, program.Nodes[t].Output.Length, start, end).Clear();
        ref readonly CompiledNode loss = ref program.Nodes[program.Loss];
        if (!loss.Output.NeedsGradient)
            return;   // no requested variable reaches the loss
        gradients.Range(loss.Output.Gradient, 1, start, end).Fill(T.One);   // ∂loss/∂loss = 1
        foreach (int t in program.BackwardSteps)
        {
            ref readonly CompiledNode node = ref program.Nodes[t];
            if (checkFinite)   // complete: all consumers ran
                RequireFinite(node, gradients, node.Output.Gradient, start, end, inGradient: true, rowScheduler);
            if (node.SeparatesContributions)
                ClearContributions(node, gradients, start, end);
            RunPass(program, t, start, end, gradients, rowScheduler, backward: true, updates: fused && node.MayUpdate);
            if (node.SeparatesContributions)
                AddContributions(node, gradients, start, end);
        }
        if (checkFinite)
        {
            foreach (int t in program.Variables)
            {
                T magnitude = RequireFinite(program.Nodes[t], gradients, program.Nodes[t].Output.Gradient, start, end, inGradient: true, rowScheduler);
                if (guard.IsActive && program.ParameterIndex[t] >= 0)
                    guard.GradientMagnitude(program.ParameterIndex[t]) = magnitude;
            }
        }
    }

    private static void ClearContributions(in CompiledNode node, Storage gradients, int start, int end)
    {
        for (int k = 0; k < node.InputCount; k++)
        {
            TensorRef edge = node.Input(k);
            if (edge.AddTo >= 0 && !edge.OverwriteGradient)
                gradients.Range(edge.Gradient, edge.Length, start, end).Clear();
        }
    }

    /// <summary>A later writer's finished contribution joins the operand's gradient in one addition per element.</summary>
    private static void AddContributions(in CompiledNode node, Storage gradients, int start, int end)
    {
        for (int k = 0; k < node.InputCount; k++)
        {
            TensorRef edge = node.Input(k);
            if (edge.AddTo < 0)
                continue;
            Span<T> gradient = gradients.Range(edge.AddTo, edge.Length, start, end);
            TensorPrimitives.Add<T>(gradient, gradients.Range(edge.Gradient, edge.Length, start, end), gradient);
        }
    }

    /// <summary>
    /// The optimizer's step for the instances [start, end). When guarded (finite checks on) an SGD step whose result is
    /// bounded in advance by the magnitudes the finite scans measured runs as is; any other step first copies each
    /// parameter's values and state, and scans them after, while still in cache. The first diverged tensor puts back
    /// everything this block's update wrote, and its step counts, and throws.
    /// </summary>
    private void Update(CompiledProgram program, int start, int end, Storage gradients, UpdateGuard guard, bool fused)
    {
        long[] optimizerSteps = graph.CountOptimizerStep(start, end);
        OptimizerOptions options = graph.Optimizer;
        T learningRate = T.CreateTruncating(options.LearningRate);
        bool keep = guard.IsActive && !(options.Kind == OptimizerKind.Sgd && SgdCannotDiverge(program, start, end, gradients, learningRate, guard));
        Span<T> copy = keep ? guard.Copy : default;
        int saved = 0;
        for (int k = 0; k < program.Parameters.Length; k++)
        {
            ParameterSlots p = program.Parameters[k];
            if (fused && p.UpdatedBy >= 0)
                continue;   // its dense layer's backward pass stepped it
            Span<T> w = arena.Range(p.Value, p.Length, start, end), g = gradients.Range(p.Gradient, p.Length, start, end);
            if (keep)
                saved = Save(p, start, end, copy, saved);
            switch (options.Kind)
            {
                case OptimizerKind.Sgd:
                    OptimizerStep.Sgd<T>(w, g, learningRate);
                    break;
                case OptimizerKind.Momentum:
                    OptimizerStep.Momentum<T>(w, g, arena.Range(p.FirstState, p.Length, start, end), learningRate, T.CreateTruncating(options.MomentumCoefficient));
                    break;
                case OptimizerKind.Adam when program.Lanes.IsInterleaved:
                    OptimizerStep.AdamInterleaved<T>(w, g, arena.Range(p.FirstState, p.Length, start, end), arena.Range(p.SecondState, p.Length, start, end),
                        optimizerSteps.AsSpan(start), Math.Min(end, graph.InstanceCount) - start, program.Lanes.Lanes, p.Length, options);
                    break;
                case OptimizerKind.Adam:
                    for (int i = start; i < end; i++)
                        OptimizerStep.Adam<T>(arena.Range(p.Value, p.Length, i, i + 1), gradients.Range(p.Gradient, p.Length, i, i + 1),
                            arena.Range(p.FirstState, p.Length, i, i + 1), arena.Range(p.SecondState, p.Length, i, i + 1), optimizerSteps[i], options);
                    break;
            }
            if (keep && !UpdatedFinite(p, start, end))
                Refuse(program, k, start, end, copy, options);
        }
    }

    /// <summary>
    /// Whether no SGD step of this block can leave a value past <see cref="DivergedMagnitude"/>: |w − η·g| ≤ max|w| + η·max|g|,
    /// with a factor 2 to spare for rounding. The magnitudes come from the finite scans of this block's forward and backward
    /// passes when they ran in the same job, else from a scan here.
    /// </summary>
    private bool SgdCannotDiverge(CompiledProgram program, int start, int end, Storage gradients, T learningRate, UpdateGuard guard)
    {
        T limit = DivergedMagnitude / T.CreateTruncating(2);
        for (int k = 0; k < program.Parameters.Length; k++)
        {
            ParameterSlots p = program.Parameters[k];
            T value = guard.ValueMagnitude(k), gradient = guard.GradientMagnitude(k);
            if (T.IsNaN(value))
                value = MagnitudeScan.Max<T>(arena.Range(p.Value, p.Length, start, end));
            if (T.IsNaN(gradient))
                gradient = MagnitudeScan.Max<T>(gradients.Range(p.Gradient, p.Length, start, end));
            if (!(value + learningRate * gradient <= limit))
                return false;
        }
        return true;
    }

    /// <summary>Copies a parameter's values and state for [start, end) to <paramref name="undo"/> at <paramref name="at"/>; returns the end.</summary>
    private int Save(in ParameterSlots p, int start, int end, Span<T> undo, int at)
    {
        foreach (int region in (ReadOnlySpan<int>)[p.Value, p.FirstState, p.SecondState])
        {
            if (region < 0)
                continue;
            Span<T> source = arena.Range(region, p.Length, start, end);
            source.CopyTo(undo[at..]);
            at += source.Length;
        }
        return at;
    }

    /// <summary>
    /// The largest parameter magnitude an update may leave: √MaxValue (≈ 1.8e19 for float, 1.3e154 for double). Past it
    /// a parameter's square, and the next forward pass through it, overflow: the step has diverged though it is still finite.
    /// </summary>
    private static readonly T DivergedMagnitude = T.Sqrt(typeof(T) == typeof(float) ? T.CreateTruncating(float.MaxValue) : T.CreateTruncating(double.MaxValue));

    /// <summary>Every value finite and below <see cref="DivergedMagnitude"/> (a NaN fails the comparison), every state element finite.</summary>
    private bool UpdatedFinite(in ParameterSlots p, int start, int end)
        => MagnitudeScan.Max<T>(arena.Range(p.Value, p.Length, start, end)) <= DivergedMagnitude
            && (p.FirstState < 0 || T.IsFinite(MagnitudeScan.Max<T>(arena.Range(p.FirstState, p.Length, start, end))))
            && (p.SecondState < 0 || T.IsFinite(MagnitudeScan.Max<T>(arena.Range(p.SecondState, p.Length, start, end))));

    /// <summary>Puts back parameters 0..<paramref name="failed"/> and the step counts of [start, end), then throws naming the first non-finite tensor.</summary>
    [System.Diagnostics.CodeAnalysis.DoesNotReturn]
    private void Refuse(CompiledProgram program, int failed, int start, int end, Span<T> undo, OptimizerOptions options)
    {
        ParameterSlots bad = program.Parameters[failed];
        (int instance, string tensor) = FirstNonFinite(bad, start, end, options.Kind);
        int at = 0;
        for (int k = 0; k <= failed; k++)
        {
            ParameterSlots p = program.Parameters[k];
            foreach (int region in (ReadOnlySpan<int>)[p.Value, p.FirstState, p.SecondState])
            {
                if (region < 0)
                    continue;
                Span<T> destination = arena.Range(region, p.Length, start, end);
                undo.Slice(at, destination.Length).CopyTo(destination);
                at += destination.Length;
            }
        }
        graph.UncountOptimizerStep(start, end);
        ref readonly CompiledNode node = ref program.Nodes[bad.Node];
        throw new DivergenceException(node.Entity, node.Op, instance, tensor, options, start, end);
    }

    private (int Instance, string Tensor) FirstNonFinite(in ParameterSlots p, int start, int end, OptimizerKind kind)
    {
        LaneLayout lanes = graph.Program!.Lanes;
        for (int i = start; i < Math.Min(end, graph.InstanceCount); i++)
        {
            if (!(lanes.Magnitude(arena.Data, p.Value, p.Length, i) <= DivergedMagnitude))
                return (i, "value");
            if (p.FirstState >= 0 && !T.IsFinite(lanes.Magnitude(arena.Data, p.FirstState, p.Length, i)))
                return (i, kind == OptimizerKind.Adam ? "first moment" : "velocity");
            if (p.SecondState >= 0 && !T.IsFinite(lanes.Magnitude(arena.Data, p.SecondState, p.Length, i)))
                return (i, "second moment");
        }
        return (start, "value");
    }

    /// <summary>The largest magnitude of a node's value or gradient for [start, end); throws naming the first instance holding a NaN or ±∞.</summary>
    private T RequireFinite(in CompiledNode node, Storage store, int offset, int start, int end, bool inGradient, JobScheduler? rowScheduler)
    {
        int length = node.Output.Length;
        T magnitude = Magnitude(store, offset, length, start, end, rowScheduler);
        if (T.IsFinite(magnitude))
            return magnitude;
        LaneLayout lanes = graph.Program!.Lanes;
        for (int i = start; i < Math.Min(end, graph.InstanceCount); i++)
        {
            // Relative to the storage's origin, a whole group: the lane is the instance's.
            if (!T.IsFinite(lanes.Magnitude(store.Data, offset, length, i - store.Origin)))
                throw new NonFiniteValueException(node.Entity, node.Op, i, inGradient);
        }
        return magnitude;
    }

    /// <summary>
    /// <see cref="MagnitudeScan.Max{T}"/> of a region; a big one of a one-block graph in <see cref="ParallelElements.Chunk"/>
    /// chunks on the row scheduler (the finite scans of a 16,384-sample PPO minibatch were a serial 1.5 ms of each step).
    /// A maximum does not depend on the order it is taken in, so the result is the same with any worker count.
    /// </summary>
    private T Magnitude(Storage store, int offset, int length, int start, int end, JobScheduler? rowScheduler)
    {
        Span<T> region = store.Range(offset, length, start, end);
        if (!ParallelElements.InChunks(rowScheduler, region.Length))
            return MagnitudeScan.Max<T>(region);
        int chunks = (region.Length + ParallelElements.Chunk - 1) / ParallelElements.Chunk;
        if (_chunkMagnitudes.Length < chunks)
            _chunkMagnitudes = new T[chunks];   // grown, never shrunk: sized by the first big step
        int first = offset + (start - store.Origin) * length;
        rowScheduler.Complete(rowScheduler.ScheduleParallelFor(new MagnitudeJob(store.Data, first, _chunkMagnitudes), region.Length, ParallelElements.Chunk));
        T magnitude = _chunkMagnitudes[0];
        for (int c = 1; c < chunks; c++)
            magnitude = MagnitudeScan.Larger(magnitude, _chunkMagnitudes[c]);
        return magnitude;
    }

    /// <summary>One chunk's <see cref="MagnitudeScan.Max{T}"/>, into its slot.</summary>
    private readonly struct MagnitudeJob(T[] data, int first, T[] magnitudes) : IJobParallelFor
    {
        public void Execute(int blockIndex, int start, int end) => magnitudes[blockIndex] = MagnitudeScan.Max<T>(data.AsSpan(first + start, end - start));
    }

    /// <summary>
    /// Node <paramref name="t"/>'s forward or backward pass for [start, end) (<paramref name="updates"/>: a dense layer applies its
    /// parameters' SGD step in it, see <see cref="CompiledNode.MayUpdate"/>): in a one-block graph a big element-wise op's
    /// in <see cref="ParallelElements"/> chunks on the row scheduler, anything else at once.
    /// </summary>
    private void RunPass(CompiledProgram program, int t, int start, int end, Storage gradients, JobScheduler? rowScheduler, bool backward,
        bool updates)
    {
        ref readonly CompiledNode node = ref program.Nodes[t];
        int elements = node.Output.Length * (end - start);
        if (Operations.ElementWise(node.Op) && ParallelElements.InChunks(rowScheduler, elements))
            rowScheduler.Complete(rowScheduler.ScheduleParallelFor(
                new ElementsJob(arena.Data, graph.Numerics, program, t, start, end, gradients, backward), elements, ParallelElements.Chunk));
        else
            Pass(new OpContext<T>(arena.Data, gradients.Data, in node, start, end, gradients.Origin, rowScheduler, graph.Numerics,
                rowScheduler is null ? null : _rowScratch, program.Lanes.Lanes,
                updates ? T.CreateTruncating(graph.Optimizer.LearningRate) : T.Zero, updates), node.Op, backward);
    }

    private static void Pass(in OpContext<T> c, OpCode op, bool backward)
    {
        if (backward)
            Operations.Backward(c, op);
        else
            Operations.Forward(c, op);
    }

    /// <summary>Elements [start, end) of an element-wise node's forward or backward pass, on whichever worker runs the chunk.</summary>
    private readonly struct ElementsJob(T[] data, NumericsMode numerics, CompiledProgram program, int node, int first, int last, Storage gradients,
        bool backward) : IJobParallelFor
    {
        public void Execute(int blockIndex, int start, int end)
        {
            ref readonly CompiledNode n = ref program.Nodes[node];
            Pass(new OpContext<T>(data, gradients.Data, in n, first, last, gradients.Origin, null, numerics, null,
                elementStart: start, elementCount: end - start), n.Op, backward);
        }
    }

    /// <summary>
    /// An array of node regions: the arena (<see cref="Origin"/> 0: instance i at offset + i·length) or a block-local
    /// gradient scratch (<see cref="Origin"/> = the block's first instance, which sits at the scratch's instance 0).
    /// </summary>
    private readonly record struct Storage(T[] Data, int Origin)
    {
        public Span<T> Range(int offset, int length, int start, int end)
            => Data.AsSpan(offset + (start - Origin) * length, (end - start) * length);
    }
}
