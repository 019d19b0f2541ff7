using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using EcsNeural.Ecs.Jobs;

namespace EcsNeural.Benchmarks.Workloads;

/// <summary>
/// Layout experiment (impl <c>ours-interleaved</c>): the same population step as <see cref="KernelPopulationStep"/>,
/// but with agents interleaved in groups of 16 (one Vector512 of floats): weights stored [group][in][out][lane],
/// activations [group][width][lane]. Every FMA then serves 16 agents, whatever the layer width, and the input
/// gradient needs no horizontal sums. Kept in the benchmark only, to measure against the contract's per-agent
/// [in][out] layout; float and AVX-512 only.
/// </summary>
public sealed class InterleavedPopulationStep : PopulationStep
{
    private const int Lanes = 16;

    /// <summary>Creates the step; see <see cref="Fits"/>.</summary>
    public InterleavedPopulationStep(WorkloadSpec spec, JobScheduler scheduler) : base(spec, scheduler)
    {
        if (!Fits(spec))
            throw new ArgumentException($"{spec.Id}: the interleaved experiment needs N % {Lanes} == 0 and widths % 4 == 0.");
    }

    /// <summary>Whether the experiment handles the shape: N a multiple of 16, every layer width after the input a multiple of 4.</summary>
    public static bool Fits(WorkloadSpec spec) => spec.Count % Lanes == 0 && spec.Widths.Skip(1).All(w => w % 4 == 0);

    /// <inheritdoc/>
    public override string Impl => "ours-interleaved";

    /// <inheritdoc/>
    protected override void TrainBlock(int start, int end)
    {
        int count = end - start, groups = count / Lanes;
        Scratch scratch = Scratch.ForCurrentThread(Widths, BlockAgents);
        ReadOnlySpan<float> layerInput = Input.AsSpan(start * Widths[0], count * Widths[0]);
        for (int l = 0; l < Layers; l++)
        {
            int inDim = Widths[l], outDim = Widths[l + 1];
            Span<float> y = Outputs[l].AsSpan(start * outDim, count * outDim);
            for (int g = 0; g < groups; g++)
                Forward(layerInput.Slice(g * Lanes * inDim), Weights[l].AsSpan((start + g * Lanes) * inDim * outDim),
                    Biases[l].AsSpan((start + g * Lanes) * outDim), y.Slice(g * Lanes * outDim), inDim, outDim);
            if (l + 1 < Layers)
                Activations.Relu(y);
            layerInput = y;
        }

        int outWidth = Widths[Layers];
        Activations.MeanSquaredErrorGradient(Outputs[Layers - 1].AsSpan(start * outWidth, count * outWidth),
            Target.AsSpan(start * outWidth, count * outWidth), scratch.Delta[Layers - 1].AsSpan(0, count * outWidth), outWidth);

        for (int l = Layers - 1; l >= 0; l--)
        {
            int inDim = Widths[l], outDim = Widths[l + 1];
            ReadOnlySpan<float> x = l == 0 ? Input.AsSpan(start * inDim, count * inDim) : Outputs[l - 1].AsSpan(start * inDim, count * inDim);
            Span<float> dx = l == 0 ? Span<float>.Empty : scratch.Delta[l - 1].AsSpan(0, count * inDim);
            Span<float> dw = scratch.WeightGradient[l].AsSpan(0, count * inDim * outDim);
            ReadOnlySpan<float> dy = scratch.Delta[l].AsSpan(0, count * outDim);
            for (int g = 0; g < groups; g++)
                Backward(x.Slice(g * Lanes * inDim), Weights[l].AsSpan((start + g * Lanes) * inDim * outDim), dy.Slice(g * Lanes * outDim),
                    dx.IsEmpty ? dx : dx.Slice(g * Lanes * inDim), dw.Slice(g * Lanes * inDim * outDim), inDim, outDim);
            if (l > 0)
                Activations.ReluBackward(x, dx);
            Activations.SgdUpdate(Weights[l].AsSpan(start * inDim * outDim, count * inDim * outDim), dw, LearningRate);
            Activations.SgdUpdate(Biases[l].AsSpan(start * outDim, count * outDim), dy, LearningRate);   // db = δ for one sample
        }
    }

    /// <summary>16 agents: y[o][lane] = b[o][lane] + Σ_p x[p][lane]·w[p][o][lane], four outputs per pass in registers.</summary>
    private static void Forward(ReadOnlySpan<float> x, ReadOnlySpan<float> w, ReadOnlySpan<float> b, Span<float> y, int inDim, int outDim)
    {
        ref float x0 = ref Unsafe.AsRef(in x[0]);
        ref float w0 = ref Unsafe.AsRef(in w[0]);
        for (int o = 0; o < outDim; o += 4)
        {
            Vector512<float> a0 = Vector512.Create(b.Slice((o + 0) * Lanes, Lanes)), a1 = Vector512.Create(b.Slice((o + 1) * Lanes, Lanes));
            Vector512<float> a2 = Vector512.Create(b.Slice((o + 2) * Lanes, Lanes)), a3 = Vector512.Create(b.Slice((o + 3) * Lanes, Lanes));
            for (int p = 0; p < inDim; p++)
            {
                Vector512<float> xp = Vector512.LoadUnsafe(ref x0, (nuint)(p * Lanes));
                ref float wp = ref Unsafe.Add(ref w0, (p * outDim + o) * Lanes);
                a0 = Vector512.FusedMultiplyAdd(xp, Vector512.LoadUnsafe(ref wp), a0);
                a1 = Vector512.FusedMultiplyAdd(xp, Vector512.LoadUnsafe(ref wp, Lanes), a1);
                a2 = Vector512.FusedMultiplyAdd(xp, Vector512.LoadUnsafe(ref wp, 2 * Lanes), a2);
                a3 = Vector512.FusedMultiplyAdd(xp, Vector512.LoadUnsafe(ref wp, 3 * Lanes), a3);
            }
            a0.CopyTo(y.Slice((o + 0) * Lanes));
            a1.CopyTo(y.Slice((o + 1) * Lanes));
            a2.CopyTo(y.Slice((o + 2) * Lanes));
            a3.CopyTo(y.Slice((o + 3) * Lanes));
        }
    }

    /// <summary>16 agents: dx[p] = Σ_o dy[o]·w[p][o] (vertical, no horizontal sums) and dw[p][o] = x[p]·dy[o].</summary>
    private static void Backward(ReadOnlySpan<float> x, ReadOnlySpan<float> w, ReadOnlySpan<float> dy, Span<float> dx, Span<float> dw,
        int inDim, int outDim)
    {
        ref float x0 = ref Unsafe.AsRef(in x[0]);
        ref float w0 = ref Unsafe.AsRef(in w[0]);
        ref float dy0 = ref Unsafe.AsRef(in dy[0]);
        ref float dw0 = ref dw[0];
        for (int p = 0; p < inDim; p++)
        {
            Vector512<float> xp = Vector512.LoadUnsafe(ref x0, (nuint)(p * Lanes));
            ref float wp = ref Unsafe.Add(ref w0, p * outDim * Lanes);
            ref float dwp = ref Unsafe.Add(ref dw0, p * outDim * Lanes);
            Vector512<float> s0 = Vector512<float>.Zero, s1 = Vector512<float>.Zero;
            for (int o = 0; o < outDim; o += 2)
            {
                Vector512<float> d0 = Vector512.LoadUnsafe(ref dy0, (nuint)(o * Lanes));
                Vector512<float> d1 = Vector512.LoadUnsafe(ref dy0, (nuint)((o + 1) * Lanes));
                s0 = Vector512.FusedMultiplyAdd(d0, Vector512.LoadUnsafe(ref wp, (nuint)(o * Lanes)), s0);
                s1 = Vector512.FusedMultiplyAdd(d1, Vector512.LoadUnsafe(ref wp, (nuint)((o + 1) * Lanes)), s1);
                (xp * d0).StoreUnsafe(ref dwp, (nuint)(o * Lanes));
                (xp * d1).StoreUnsafe(ref dwp, (nuint)((o + 1) * Lanes));
            }
            if (!dx.IsEmpty)
                (s0 + s1).CopyTo(dx.Slice(p * Lanes));
        }
    }

    private sealed class Scratch
    {
        [ThreadStatic] private static Scratch? _current;

        private Scratch(int[] widths, int blockSize)
        {
            Widths = widths;
            int layers = widths.Length - 1;
            Delta = new float[layers][];
            WeightGradient = new float[layers][];
            for (int l = 0; l < layers; l++)
            {
                Delta[l] = new float[blockSize * widths[l + 1]];
                WeightGradient[l] = new float[blockSize * widths[l] * widths[l + 1]];
            }
        }

        public int[] Widths { get; }

        public float[][] Delta { get; }

        public float[][] WeightGradient { get; }

        public static Scratch ForCurrentThread(int[] widths, int blockSize)
            => _current is { } scratch && scratch.Widths == widths ? scratch : _current = new Scratch(widths, blockSize);
    }
}
