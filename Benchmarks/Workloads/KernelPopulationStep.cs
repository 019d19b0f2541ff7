using EcsNeural.Ecs.Jobs;
using EcsNeural.Systems.Kernels;

namespace EcsNeural.Benchmarks.Workloads;

/// <summary>
/// Population training step composed directly from <see cref="DenseKernels"/> (impl <c>ours-kernels</c>): what the
/// kernels alone can do, before the engine's graph systems drive them. N agents, each its own MLP (ReLU hidden,
/// linear output, MSE), one sample per agent per step. The population is split into fixed blocks of
/// <see cref="BlockSize"/> agents; each block runs forward → backward → SGD update as one job, so its parameters
/// are still in L1/L2 when they are updated.
/// </summary>
public sealed class KernelPopulationStep : IWorkload
{
    /// <summary>
    /// Agents per job block for these layer widths: about 128 KB of parameters (plus as much again of gradients), so
    /// a block's working set stays in L2 from forward to update; a multiple of 16 (the interleaved experiment's
    /// group). Depends only on the network shape, never on the worker count.
    /// </summary>
    public static int BlockSize(IReadOnlyList<int> widths)
    {
        long parameterBytes = 0;
        for (int l = 0; l + 1 < widths.Count; l++)
            parameterBytes += ((long)widths[l] * widths[l + 1] + widths[l + 1]) * sizeof(float);
        return (int)Math.Clamp(128 * 1024 / parameterBytes / 16 * 16, 16, 256);
    }

    private const float LearningRate = 1e-3f;

    private readonly WorkloadSpec spec;
    private readonly JobScheduler scheduler;
    private readonly int[] widths;
    private readonly int layers;
    private readonly int blockSize;
    private float[] input = [], target = [];
    private float[][] weights = [], biases = [], outputs = [];

    public KernelPopulationStep(WorkloadSpec spec, JobScheduler scheduler)
    {
        this.spec = spec;
        this.scheduler = scheduler;
        widths = spec.Widths;
        layers = widths.Length - 1;
        blockSize = BlockSize(widths);
    }

    public string Id => spec.Id;

    public string Impl => "ours-kernels";

    public double FlopsPerStep => spec.FlopsPerStep;

    public void Setup()
    {
        var random = new Random(1234);
        int n = spec.Count;
        input = new float[n * widths[0]];
        target = new float[n * widths[layers]];
        Activations.FillUniform(input, random, 1f);
        Activations.FillUniform(target, random, 1f);
        weights = new float[layers][];
        biases = new float[layers][];
        outputs = new float[layers][];
        for (int l = 0; l < layers; l++)
        {
            weights[l] = new float[n * widths[l] * widths[l + 1]];
            biases[l] = new float[n * widths[l + 1]];
            outputs[l] = new float[n * widths[l + 1]];
            Activations.FillUniform(weights[l], random, 1f / MathF.Sqrt(widths[l]));
        }
    }

    public void Step()
        => scheduler.Complete(scheduler.ScheduleParallelFor(new BlockJob(this), spec.Count, blockSize));

    private void TrainBlock(int start, int end)
    {
        int count = end - start;
        BlockScratch scratch = BlockScratch.ForCurrentThread(widths, blockSize);

        ReadOnlySpan<float> layerInput = input.AsSpan(start * widths[0], count * widths[0]);
        for (int l = 0; l < layers; l++)
        {
            int inDim = widths[l], outDim = widths[l + 1];
            Span<float> y = outputs[l].AsSpan(start * outDim, count * outDim);
            DenseKernels.Forward<float>(layerInput, Slice(weights[l], start, count, inDim * outDim), Slice(biases[l], start, count, outDim),
                y, count, 1, inDim, outDim);
            if (l + 1 < layers)
                Activations.Relu(y);
            layerInput = y;
        }

        int outWidth = widths[layers];
        Span<float> delta = scratch.Delta[layers - 1].AsSpan(0, count * outWidth);
        Activations.MeanSquaredErrorGradient(outputs[layers - 1].AsSpan(start * outWidth, count * outWidth),
            target.AsSpan(start * outWidth, count * outWidth), delta, outWidth);

        for (int l = layers - 1; l >= 0; l--)
        {
            int inDim = widths[l], outDim = widths[l + 1];
            ReadOnlySpan<float> x = l == 0 ? input.AsSpan(start * inDim, count * inDim) : outputs[l - 1].AsSpan(start * inDim, count * inDim);
            Span<float> dx = l == 0 ? Span<float>.Empty : scratch.Delta[l - 1].AsSpan(0, count * inDim);
            Span<float> dw = scratch.WeightGradient[l].AsSpan(0, count * inDim * outDim);
            Span<float> db = scratch.BiasGradient[l].AsSpan(0, count * outDim);
            DenseKernels.Backward<float>(x, Slice(weights[l], start, count, inDim * outDim), scratch.Delta[l].AsSpan(0, count * outDim),
                dx, dw, db, count, 1, inDim, outDim, accumulate: false);
            if (l > 0)
                Activations.ReluBackward(x, dx);
            Activations.SgdUpdate(weights[l].AsSpan(start * inDim * outDim, count * inDim * outDim), dw, LearningRate);
            Activations.SgdUpdate(biases[l].AsSpan(start * outDim, count * outDim), db, LearningRate);
        }
    }

    private static ReadOnlySpan<float> Slice(float[] array, int start, int count, int perInstance)
        => array.AsSpan(start * perInstance, count * perInstance);

    private readonly struct BlockJob(KernelPopulationStep owner) : IJobParallelFor
    {
        public void Execute(int blockIndex, int start, int end) => owner.TrainBlock(start, end);
    }

    /// <summary>Per-thread gradients of one block: they never leave the core's cache.</summary>
    private sealed class BlockScratch
    {
        [ThreadStatic] private static BlockScratch? current;

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
            => current is { } scratch && scratch.Widths == widths ? scratch : current = new BlockScratch(widths, blockSize);
    }
}
