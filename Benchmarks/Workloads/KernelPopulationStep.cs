using EcsNeural.Ecs.Jobs;
using EcsNeural.Systems.Kernels;

namespace EcsNeural.Benchmarks.Workloads;

/// <summary>
/// Population training step composed directly from <see cref="DenseKernels"/> (impl <c>ours-kernels</c>): what the
/// kernels alone can do, before the engine's graph systems drive them (the network and blocks are those of
/// <see cref="PopulationStep"/>). Each block runs forward → backward → SGD update as one job, so its parameters
/// are still in L1/L2 when they are updated.
/// </summary>
public sealed class KernelPopulationStep : PopulationStep
{
    /// <summary>Creates the step for <paramref name="spec"/>, run on <paramref name="scheduler"/>.</summary>
    public KernelPopulationStep(WorkloadSpec spec, JobScheduler scheduler) : base(spec, scheduler) { }

    /// <inheritdoc/>
    public override string Impl => "ours-kernels";

    /// <inheritdoc/>
    protected override void TrainBlock(int start, int end)
    {
        int count = end - start;
        BlockScratch scratch = BlockScratch.ForCurrentThread(Widths, BlockAgents);

        ReadOnlySpan<float> layerInput = Input.AsSpan(start * Widths[0], count * Widths[0]);
        for (int l = 0; l < Layers; l++)
        {
            int inDim = Widths[l], outDim = Widths[l + 1];
            Span<float> y = Outputs[l].AsSpan(start * outDim, count * outDim);
            DenseKernels.Forward<float>(layerInput, Slice(Weights[l], start, count, inDim * outDim), Slice(Biases[l], start, count, outDim),
                y, count, 1, inDim, outDim);
            if (l + 1 < Layers)
                Activations.Relu(y);
            layerInput = y;
        }

        int outWidth = Widths[Layers];
        Span<float> delta = scratch.Delta[Layers - 1].AsSpan(0, count * outWidth);
        Activations.MeanSquaredErrorGradient(Outputs[Layers - 1].AsSpan(start * outWidth, count * outWidth),
            Target.AsSpan(start * outWidth, count * outWidth), delta, outWidth);

        for (int l = Layers - 1; l >= 0; l--)
        {
            int inDim = Widths[l], outDim = Widths[l + 1];
            ReadOnlySpan<float> x = l == 0 ? Input.AsSpan(start * inDim, count * inDim) : Outputs[l - 1].AsSpan(start * inDim, count * inDim);
            Span<float> dx = l == 0 ? Span<float>.Empty : scratch.Delta[l - 1].AsSpan(0, count * inDim);
            Span<float> dw = scratch.WeightGradient[l].AsSpan(0, count * inDim * outDim);
            Span<float> db = scratch.BiasGradient[l].AsSpan(0, count * outDim);
            DenseKernels.Backward<float>(x, Slice(Weights[l], start, count, inDim * outDim), scratch.Delta[l].AsSpan(0, count * outDim),
                dx, dw, db, count, 1, inDim, outDim, accumulate: false);
            if (l > 0)
                Activations.ReluBackward(x, dx);
            Activations.SgdUpdate(Weights[l].AsSpan(start * inDim * outDim, count * inDim * outDim), dw, LearningRate);
            Activations.SgdUpdate(Biases[l].AsSpan(start * outDim, count * outDim), db, LearningRate);
        }
    }

    private static ReadOnlySpan<float> Slice(float[] array, int start, int count, int perInstance)
        => array.AsSpan(start * perInstance, count * perInstance);

    /// <summary>Per-thread gradients of one block: they never leave the core's cache.</summary>
    private sealed class BlockScratch
    {
        [ThreadStatic] private static BlockScratch? _current;

        private BlockScratch(int[] widths, int blockSize)
        {
            Widths = widths;
            int layers = widths.Length - 1;
            Delta = new float[layers][];
            WeightGradient = new float[layers][];
            BiasGradient = new float[layers][];
            for (int l = 0; l < layers; l++)
            {
                Delta[l] = new float[blockSize * widths[l + 1]];
                WeightGradient[l] = new float[blockSize * widths[l] * widths[l + 1]];
                BiasGradient[l] = new float[blockSize * widths[l + 1]];
            }
        }

        public int[] Widths { get; }

        public float[][] Delta { get; }

        public float[][] WeightGradient { get; }

        public float[][] BiasGradient { get; }

        public static BlockScratch ForCurrentThread(int[] widths, int blockSize)
            => _current is { } scratch && scratch.Widths == widths ? scratch : _current = new BlockScratch(widths, blockSize);
    }
}
