using System.Numerics;
using System.Numerics.Tensors;
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
    /// Sizes the calling thread's block gradient scratch now: the compiling thread runs blocks too while it waits for
    /// them, and would otherwise allocate its buffer in whichever frame it first happens to.
    /// </summary>
    void ReserveScratch(int length);
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
    public void Run(int start, int end, GraphPhases phases, JobScheduler? rowScheduler)
    {
        CompiledProgram program = graph.Program!;
        int scratchLength = program.BlockGradientLength;
        // Gradients in the arena, or a forward pass alone (which touches none): no scratch.
        bool scratch = scratchLength > 0 && (phases & (GraphPhases.Backward | GraphPhases.Update)) != 0;
        // Instance `start` is the scratch's instance 0.
        var gradients = scratch ? new Storage(BlockGradientScratch<T>.Rent(scratchLength), start) : new Storage(arena.Data, 0);
        try
        {
            if ((phases & GraphPhases.Forward) != 0)
                Forward(program, start, end, gradients, rowScheduler);
            if ((phases & GraphPhases.Backward) != 0)
                Backward(program, start, end, gradients, rowScheduler);
            if ((phases & GraphPhases.Update) != 0)
                Update(program, start, end, graph.CountOptimizerStep(start, end), gradients);
        }
        finally
        {
            if (scratch)
                BlockGradientScratch<T>.Return();
        }
    }

    public void ReserveScratch(int length)
    {
        if (length > 0)
        {
            BlockGradientScratch<T>.Rent(length);
            BlockGradientScratch<T>.Return();
        }
    }

    private void Forward(CompiledProgram program, int start, int end, Storage gradients, JobScheduler? rowScheduler)
    {
        T[] data = arena.Data;
        bool checkFinite = graph.CheckFinite;
        if (checkFinite)
        {
            foreach (int t in program.Leaves)
                RequireFinite(program.Nodes[t], new Storage(data, 0), program.Nodes[t].Output.Value, start, end, inGradient: false);
        }
        foreach (int t in program.ForwardSteps)
        {
            ref readonly CompiledNode node = ref program.Nodes[t];
            Operations.Forward(new OpContext<T>(data, gradients.Data, in node, start, end, gradients.Origin, rowScheduler), node.Op);
            if (checkFinite)
                RequireFinite(node, new Storage(data, 0), node.Output.Value, start, end, inGradient: false);
        }
    }

    private void Backward(CompiledProgram program, int start, int end, Storage gradients, JobScheduler? rowScheduler)
    {
        if (program.Loss < 0)
            return;
        T[] data = arena.Data;
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
                RequireFinite(node, gradients, node.Output.Gradient, start, end, inGradient: true);
            if (node.SeparatesContributions)
                ClearContributions(node, gradients, start, end);
            Operations.Backward(new OpContext<T>(data, gradients.Data, in node, start, end, gradients.Origin, rowScheduler), node.Op);
            if (node.SeparatesContributions)
                AddContributions(node, gradients, start, end);
        }
        if (checkFinite)
        {
            foreach (int t in program.Variables)
                RequireFinite(program.Nodes[t], gradients, program.Nodes[t].Output.Gradient, start, end, inGradient: true);
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

    private void Update(CompiledProgram program, int start, int end, long[] optimizerSteps, Storage gradients)
    {
        OptimizerOptions options = graph.Optimizer;
        T learningRate = T.CreateTruncating(options.LearningRate);
        foreach (ParameterSlots p in program.Parameters)
        {
            Span<T> w = arena.Range(p.Value, p.Length, start, end), g = gradients.Range(p.Gradient, p.Length, start, end);
            switch (options.Kind)
            {
                case OptimizerKind.Sgd:
                    OptimizerStep.Sgd<T>(w, g, learningRate);
                    break;
                case OptimizerKind.Momentum:
                    OptimizerStep.Momentum<T>(w, g, arena.Range(p.FirstState, p.Length, start, end), learningRate, T.CreateTruncating(options.MomentumCoefficient));
                    break;
                case OptimizerKind.Adam:
                    for (int i = start; i < end; i++)
                        OptimizerStep.Adam<T>(arena.Range(p.Value, p.Length, i, i + 1), gradients.Range(p.Gradient, p.Length, i, i + 1),
                            arena.Range(p.FirstState, p.Length, i, i + 1), arena.Range(p.SecondState, p.Length, i, i + 1), optimizerSteps[i], options);
                    break;
            }
        }
    }

    private static void RequireFinite(in CompiledNode node, Storage store, int offset, int start, int end, bool inGradient)
    {
        int length = node.Output.Length;
        if (FiniteScan.AllFinite<T>(store.Range(offset, length, start, end)))
            return;
        for (int i = start; i < end; i++)
        {
            if (!TensorPrimitives.IsFiniteAll<T>(store.Range(offset, length, i, i + 1)))
                throw new NonFiniteValueException(node.Entity, node.Op, i, inGradient);
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
