using System.Numerics.Tensors;
using EcsNeural.Ecs.Jobs;
using EcsNeural.Systems.Kernels;

namespace EcsNeural.Benchmarks.Workloads;

/// <summary>
/// Single-MLP training step composed directly from <see cref="Gemm"/> (impl <c>ours-kernels</c>): ReLU hidden
/// layers, softmax cross-entropy, SGD, batch B. Every GEMM is split into fixed row blocks run as parallel jobs
/// (<see cref="Gemm.MultiplyRows{T}"/>); bias, ReLU and the ReLU mask run on the same rows inside the same job.
/// </summary>
public sealed class KernelMlpStep : IWorkload
{
    private const float LearningRate = 1e-3f;

    private readonly WorkloadSpec spec;
    private readonly JobScheduler scheduler;
    private readonly int[] widths;
    private readonly int layers;
    private readonly int batch;
    private float[] input = [];
    private int[] labels = [];
    private float[][] weights = [], biases = [], outputs = [], deltas = [], weightGradients = [], biasGradients = [];

    public KernelMlpStep(WorkloadSpec spec, JobScheduler scheduler)
    {
        this.spec = spec;
        this.scheduler = scheduler;
        widths = spec.Widths;
        layers = widths.Length - 1;
        batch = spec.Count;
    }

    public string Id => spec.Id;

    public string Impl => "ours-kernels";

    public double FlopsPerStep => spec.FlopsPerStep;

    public void Setup()
    {
        var random = new Random(4321);
        input = new float[batch * widths[0]];
        Activations.FillUniform(input, random, 1f);
        labels = new int[batch];
        for (int i = 0; i < batch; i++)
            labels[i] = random.Next(widths[layers]);
        weights = new float[layers][];
        biases = new float[layers][];
        outputs = new float[layers][];
        deltas = new float[layers][];
        weightGradients = new float[layers][];
        biasGradients = new float[layers][];
        for (int l = 0; l < layers; l++)
        {
            weights[l] = new float[widths[l] * widths[l + 1]];
            Activations.FillUniform(weights[l], random, 1f / MathF.Sqrt(widths[l]));
            biases[l] = new float[widths[l + 1]];
            outputs[l] = new float[batch * widths[l + 1]];
            deltas[l] = new float[batch * widths[l + 1]];
            weightGradients[l] = new float[widths[l] * widths[l + 1]];
            biasGradients[l] = new float[widths[l + 1]];
        }
    }

    public void Step()
    {
        JobHandle last = default;
        for (int l = 0; l < layers; l++)
        {
            float[] x = l == 0 ? input : outputs[l - 1];
            var forward = new GemmRowsJob(x, false, weights[l], false, outputs[l], batch, widths[l + 1], widths[l])
            {
                Bias = biases[l],
                Relu = l + 1 < layers,
            };
            last = scheduler.ScheduleParallelFor(forward, batch, RowBlock(batch, 8), last);
        }
        var loss = new SoftmaxCrossEntropyJob(outputs[layers - 1], labels, deltas[layers - 1], widths[layers]);
        last = scheduler.ScheduleParallelFor(loss, batch, RowBlock(batch, 8), last);

        for (int l = layers - 1; l >= 0; l--)
        {
            int inDim = widths[l], outDim = widths[l + 1];
            float[] x = l == 0 ? input : outputs[l - 1];
            // dW = xᵀ·δ and db = Σ_rows δ read δ; dX = δ·Wᵀ reads W before the update: all three only need δ.
            var weightGradient = new GemmRowsJob(x, true, deltas[l], false, weightGradients[l], inDim, outDim, batch);
            JobHandle dw = scheduler.ScheduleParallelFor(weightGradient, inDim, RowBlock(inDim, 4), last);
            JobHandle db = scheduler.ScheduleParallelFor(new ColumnSumJob(deltas[l], batch, outDim, biasGradients[l]), outDim, 256, last);
            JobHandle done = JobHandle.Combine(dw, db);
            if (l > 0)
            {
                var inputGradient = new GemmRowsJob(deltas[l], false, weights[l], true, deltas[l - 1], batch, inDim, outDim)
                {
                    ReluMask = outputs[l - 1],
                };
                done = JobHandle.Combine(done, scheduler.ScheduleParallelFor(inputGradient, batch, RowBlock(batch, 8), last));
            }
            JobHandle updateW = scheduler.ScheduleParallelFor(new SgdJob(weights[l], weightGradients[l]), weights[l].Length, 64 * 1024, done);
            JobHandle updateB = scheduler.ScheduleParallelFor(new SgdJob(biases[l], biasGradients[l]), biases[l].Length, 64 * 1024, done);
            last = JobHandle.Combine(done, JobHandle.Combine(updateW, updateB));
        }
        scheduler.Complete(last);
    }

    /// <summary>
    /// Fixed row-block size for about <paramref name="blocks"/> blocks, a multiple of the micro-kernel's 8 rows. Each
    /// block packs all of op(B) again, so the weight-gradient products (B = δ, batch × out) use fewer, larger blocks.
    /// </summary>
    private static int RowBlock(int rows, int blocks) => Math.Max(8, (rows + 8 * blocks - 1) / (8 * blocks) * 8);

    private readonly struct GemmRowsJob(float[] a, bool transposeA, float[] b, bool transposeB, float[] c, int m, int n, int k)
        : IJobParallelFor
    {
        public float[]? Bias { get; init; }

        public bool Relu { get; init; }

        public float[]? ReluMask { get; init; }

        public void Execute(int blockIndex, int start, int end)
        {
            if (Bias is { } bias)
                for (int i = start; i < end; i++)
                    bias.CopyTo(c.AsSpan(i * n, n));
            Gemm.MultiplyRows<float>(a, transposeA, b, transposeB, c, m, n, k, accumulate: Bias is not null, start, end);
            Span<float> rows = c.AsSpan(start * n, (end - start) * n);
            if (Relu)
                Activations.Relu(rows);
            if (ReluMask is { } mask)
                Activations.ReluBackward(mask.AsSpan(start * n, (end - start) * n), rows);
        }
    }

    private readonly struct SoftmaxCrossEntropyJob(float[] logits, int[] labels, float[] gradient, int classes) : IJobParallelFor
    {
        public void Execute(int blockIndex, int start, int end)
        {
            float scale = 1f / labels.Length;
            for (int i = start; i < end; i++)
            {
                ReadOnlySpan<float> row = logits.AsSpan(i * classes, classes);
                Span<float> g = gradient.AsSpan(i * classes, classes);
                float max = TensorPrimitives.Max(row);
                TensorPrimitives.Subtract(row, max, g);
                TensorPrimitives.Exp(g, g);
                TensorPrimitives.Multiply(g, scale / TensorPrimitives.Sum(g), g);
                g[labels[i]] -= scale;
            }
        }
    }

    /// <summary>Column sums in row order, split by column ranges: deterministic for any worker count.</summary>
    private readonly struct ColumnSumJob(float[] source, int rows, int columns, float[] sums) : IJobParallelFor
    {
        public void Execute(int blockIndex, int start, int end)
        {
            Span<float> destination = sums.AsSpan(start, end - start);
            destination.Clear();
            for (int r = 0; r < rows; r++)
                TensorPrimitives.Add(destination, source.AsSpan(r * columns + start, end - start), destination);
        }
    }

    private readonly struct SgdJob(float[] parameters, float[] gradient) : IJobParallelFor
    {
        public void Execute(int blockIndex, int start, int end)
            => Activations.SgdUpdate(parameters.AsSpan(start, end - start), gradient.AsSpan(start, end - start), LearningRate);
    }
}
