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

    private readonly WorkloadSpec _spec;
    private readonly JobScheduler _scheduler;
    private readonly int[] _widths;
    private readonly int _layers;
    private readonly int _batch;
    private float[] _input = [];
    private int[] _labels = [];
    private float[][] _weights = [], _biases = [], _outputs = [], _deltas = [], _weightGradients = [], _biasGradients = [];

    public KernelMlpStep(WorkloadSpec spec, JobScheduler scheduler)
    {
        _spec = spec;
        _scheduler = scheduler;
        _widths = _spec.Widths;
        _layers = _widths.Length - 1;
        _batch = _spec.Count;
    }

    public string Id => _spec.Id;

    public string Impl => "ours-kernels";

    public double FlopsPerStep => _spec.FlopsPerStep;

    public void Setup()
    {
        var random = new Random(4321);
        _input = new float[_batch * _widths[0]];
        Activations.FillUniform(_input, random, 1f);
        _labels = new int[_batch];
        for (int i = 0; i < _batch; i++)
            _labels[i] = random.Next(_widths[_layers]);
        _weights = new float[_layers][];
        _biases = new float[_layers][];
        _outputs = new float[_layers][];
        _deltas = new float[_layers][];
        _weightGradients = new float[_layers][];
        _biasGradients = new float[_layers][];
        for (int l = 0; l < _layers; l++)
        {
            _weights[l] = new float[_widths[l] * _widths[l + 1]];
            Activations.FillUniform(_weights[l], random, 1f / MathF.Sqrt(_widths[l]));
            _biases[l] = new float[_widths[l + 1]];
            _outputs[l] = new float[_batch * _widths[l + 1]];
            _deltas[l] = new float[_batch * _widths[l + 1]];
            _weightGradients[l] = new float[_widths[l] * _widths[l + 1]];
            _biasGradients[l] = new float[_widths[l + 1]];
        }
    }

    public void Step()
    {
        JobHandle last = default;
        for (int l = 0; l < _layers; l++)
        {
            float[] x = l == 0 ? _input : _outputs[l - 1];
            var forward = new GemmRowsJob(x, false, _weights[l], false, _outputs[l], _batch, _widths[l + 1], _widths[l])
            {
                Bias = _biases[l],
                Relu = l + 1 < _layers,
            };
            last = _scheduler.ScheduleParallelFor(forward, _batch, RowBlock(_batch, 8), last);
        }
        var loss = new SoftmaxCrossEntropyJob(_outputs[_layers - 1], _labels, _deltas[_layers - 1], _widths[_layers]);
        last = _scheduler.ScheduleParallelFor(loss, _batch, RowBlock(_batch, 8), last);

        for (int l = _layers - 1; l >= 0; l--)
        {
            int inDim = _widths[l], outDim = _widths[l + 1];
            float[] x = l == 0 ? _input : _outputs[l - 1];
            // dW = xᵀ·δ and db = Σ_rows δ read δ; dX = δ·Wᵀ reads W before the update: all three only need δ.
            var weightGradient = new GemmRowsJob(x, true, _deltas[l], false, _weightGradients[l], inDim, outDim, _batch);
            JobHandle dw = _scheduler.ScheduleParallelFor(weightGradient, inDim, RowBlock(inDim, 4), last);
            JobHandle db = _scheduler.ScheduleParallelFor(new ColumnSumJob(_deltas[l], _batch, outDim, _biasGradients[l]), outDim, 256, last);
            JobHandle done = JobHandle.Combine(dw, db);
            if (l > 0)
            {
                var inputGradient = new GemmRowsJob(_deltas[l], false, _weights[l], true, _deltas[l - 1], _batch, inDim, outDim)
                {
                    ReluMask = _outputs[l - 1],
                };
                done = JobHandle.Combine(done, _scheduler.ScheduleParallelFor(inputGradient, _batch, RowBlock(_batch, 8), last));
            }
            JobHandle updateW = _scheduler.ScheduleParallelFor(new SgdJob(_weights[l], _weightGradients[l]), _weights[l].Length, 64 * 1024, done);
            JobHandle updateB = _scheduler.ScheduleParallelFor(new SgdJob(_biases[l], _biasGradients[l]), _biases[l].Length, 64 * 1024, done);
            last = JobHandle.Combine(done, JobHandle.Combine(updateW, updateB));
        }
        _scheduler.Complete(last);
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

    private readonly struct SoftmaxCrossEntropyJob(float[] logits, int[] _labels, float[] gradient, int classes) : IJobParallelFor
    {
        public void Execute(int blockIndex, int start, int end)
        {
            float scale = 1f / _labels.Length;
            for (int i = start; i < end; i++)
            {
                ReadOnlySpan<float> row = logits.AsSpan(i * classes, classes);
                Span<float> g = gradient.AsSpan(i * classes, classes);
                float max = TensorPrimitives.Max(row);
                TensorPrimitives.Subtract(row, max, g);
                TensorPrimitives.Exp(g, g);
                TensorPrimitives.Multiply(g, scale / TensorPrimitives.Sum(g), g);
                g[_labels[i]] -= scale;
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
