using System.IO.Hashing;
using System.Runtime.InteropServices;
using EcsNeural.Demo.Arena;

namespace EcsNeural.Demo.Brains;

/// <summary>
/// A plain managed population of tanh MLPs trained with Adam on MSE: the stand-in behind
/// <see cref="IBrainPopulation"/> until the engine's population is wired in. Agents are processed in
/// fixed blocks of <see cref="BlockSize"/>; each agent's math is independent and the loss is summed
/// per block in block order, so results are bit-identical with any worker count.
/// </summary>
public sealed class ManagedMlpPopulation : IBrainPopulation
{
    public const int BlockSize = 64;

    private readonly int[] _sizes;
    private readonly float[][] _w, _b, _mw, _vw, _mb, _vb;   // per layer, all agents contiguous
    private readonly float[][] _act;                          // per layer (0 = inputs), Count × width
    private readonly float[] _blockLoss;
    private readonly float[] _targets;
    private readonly int _widest;
    private readonly ParallelOptions _parallel;
    private readonly float _learningRate;
    private int _step;

    public ManagedMlpPopulation(int count, IReadOnlyList<int> layerSizes, ulong seed, int workers, float learningRate)
    {
        if (count < 1) throw new ArgumentOutOfRangeException(nameof(count), count, "need at least one agent");
        if (layerSizes.Count < 2) throw new ArgumentException("need at least an input and an output layer", nameof(layerSizes));
        if (workers < 1) throw new ArgumentOutOfRangeException(nameof(workers), workers, "need at least one worker");
        Count = count;
        _sizes = [.. layerSizes];
        _learningRate = learningRate;
        _parallel = new ParallelOptions { MaxDegreeOfParallelism = workers };
        int layers = _sizes.Length - 1;
        _w = new float[layers][]; _b = new float[layers][];
        _mw = new float[layers][]; _vw = new float[layers][]; _mb = new float[layers][]; _vb = new float[layers][];
        _act = new float[_sizes.Length][];
        for (int l = 0; l <= layers; l++) _act[l] = new float[count * _sizes[l]];
        for (int l = 0; l < layers; l++)
        {
            int fanIn = _sizes[l], fanOut = _sizes[l + 1];
            _w[l] = new float[count * fanIn * fanOut]; _b[l] = new float[count * fanOut];
            _mw[l] = new float[_w[l].Length]; _vw[l] = new float[_w[l].Length];
            _mb[l] = new float[_b[l].Length]; _vb[l] = new float[_b[l].Length];
            float limit = MathF.Sqrt(6f / (fanIn + fanOut));   // Glorot uniform
            for (int a = 0; a < count; a++)
            for (int j = 0; j < fanIn * fanOut; j++)
                _w[l][a * fanIn * fanOut + j] = (2 * KeyedRandom.Unit(seed, a, l, j) - 1) * limit;
        }
        _blockLoss = new float[(count + BlockSize - 1) / BlockSize];
        _targets = new float[count * _sizes[^1]];
        _widest = _sizes.Max();
    }

    public int Count { get; }
    public IReadOnlyList<int> LayerSizes => _sizes;

    public void Act(ReadOnlySpan<float> observations, Span<float> actions)
    {
        CheckLength(observations.Length, Count * _sizes[0], nameof(observations));
        CheckLength(actions.Length, Count * _sizes[^1], nameof(actions));
        observations.CopyTo(_act[0]);
        Parallel.For(0, _blockLoss.Length, _parallel, block => ForwardBlock(block));
        _act[^1].AsSpan().CopyTo(actions);
    }

    public float Learn(ReadOnlySpan<float> targets)
    {
        CheckLength(targets.Length, Count * _sizes[^1], nameof(targets));
        _step++;
        targets.CopyTo(_targets);   // the parallel body cannot capture a span
        Parallel.For(0, _blockLoss.Length, _parallel, block => _blockLoss[block] = BackwardBlock(block));
        float sum = 0;
        foreach (float l in _blockLoss) sum += l;   // block order: deterministic
        return sum / Count;
    }

    public ReadOnlySpan<float> Activations(int layer) => _act[layer];

    public ReadOnlySpan<float> Weights(int agent, int layer)
    {
        int n = _sizes[layer] * _sizes[layer + 1];
        return _w[layer].AsSpan(agent * n, n);
    }

    public ulong ParameterChecksum()
    {
        var hash = new XxHash64();
        for (int l = 0; l < _w.Length; l++)
        {
            hash.Append(MemoryMarshal.AsBytes(_w[l].AsSpan()));
            hash.Append(MemoryMarshal.AsBytes(_b[l].AsSpan()));
        }
        return hash.GetCurrentHashAsUInt64();
    }

    public void Save(string path)
    {
        using var writer = new BinaryWriter(File.Create(path));
        writer.Write("EcsNeural.Demo.brains/1");
        writer.Write(Count);
        writer.Write(_sizes.Length);
        foreach (int s in _sizes) writer.Write(s);
        for (int l = 0; l < _w.Length; l++)
        {
            writer.Write(MemoryMarshal.AsBytes(_w[l].AsSpan()));
            writer.Write(MemoryMarshal.AsBytes(_b[l].AsSpan()));
        }
    }

    public void Dispose() { }

    private void ForwardBlock(int block)
    {
        int start = block * BlockSize, end = Math.Min(Count, start + BlockSize);
        int layers = _w.Length;
        for (int a = start; a < end; a++)
        for (int l = 0; l < layers; l++)
        {
            int nIn = _sizes[l], nOut = _sizes[l + 1];
            ReadOnlySpan<float> x = _act[l].AsSpan(a * nIn, nIn);
            ReadOnlySpan<float> w = _w[l].AsSpan(a * nIn * nOut, nIn * nOut);
            Span<float> y = _act[l + 1].AsSpan(a * nOut, nOut);
            _b[l].AsSpan(a * nOut, nOut).CopyTo(y);
            for (int i = 0; i < nIn; i++)
            {
                float xi = x[i];
                ReadOnlySpan<float> row = w.Slice(i * nOut, nOut);
                for (int o = 0; o < nOut; o++) y[o] += xi * row[o];
            }
            if (l < layers - 1) for (int o = 0; o < nOut; o++) y[o] = MathF.Tanh(y[o]);
        }
    }

    private float BackwardBlock(int block)
    {
        int start = block * BlockSize, end = Math.Min(Count, start + BlockSize);
        int layers = _w.Length, outputs = _sizes[^1];
        Span<float> delta = stackalloc float[_widest];
        Span<float> previous = stackalloc float[_widest];
        float b1c = 1 - MathF.Pow(0.9f, _step), b2c = 1 - MathF.Pow(0.999f, _step);
        float loss = 0;
        for (int a = start; a < end; a++)
        {
            ReadOnlySpan<float> y = _act[^1].AsSpan(a * outputs, outputs);
            float agentLoss = 0;
            for (int o = 0; o < outputs; o++)
            {
                float e = y[o] - _targets[a * outputs + o];
                agentLoss += e * e;
                delta[o] = 2 * e / outputs;
            }
            loss += agentLoss / outputs;
            for (int l = layers - 1; l >= 0; l--)
            {
                int nIn = _sizes[l], nOut = _sizes[l + 1];
                ReadOnlySpan<float> x = _act[l].AsSpan(a * nIn, nIn);
                Span<float> w = _w[l].AsSpan(a * nIn * nOut, nIn * nOut);
                if (l > 0)
                {
                    // gradient to the previous layer uses the weights before this step's update
                    for (int i = 0; i < nIn; i++)
                    {
                        float s = 0;
                        ReadOnlySpan<float> row = w.Slice(i * nOut, nOut);
                        for (int o = 0; o < nOut; o++) s += row[o] * delta[o];
                        previous[i] = s * (1 - x[i] * x[i]);   // through tanh
                    }
                }
                Adam(w, _mw[l].AsSpan(a * nIn * nOut, nIn * nOut), _vw[l].AsSpan(a * nIn * nOut, nIn * nOut), x, delta[..nOut], b1c, b2c);
                Adam(_b[l].AsSpan(a * nOut, nOut), _mb[l].AsSpan(a * nOut, nOut), _vb[l].AsSpan(a * nOut, nOut), [1f], delta[..nOut], b1c, b2c);
                if (l > 0) previous[..nIn].CopyTo(delta);
            }
        }
        return loss;
    }

    /// <summary>Adam on parameters laid out [in][out] whose gradient is the outer product x ⊗ delta.</summary>
    private void Adam(Span<float> p, Span<float> m, Span<float> v, ReadOnlySpan<float> x, ReadOnlySpan<float> delta, float b1c, float b2c)
    {
        int nOut = delta.Length;
        for (int i = 0; i < x.Length; i++)
        for (int o = 0; o < nOut; o++)
        {
            int k = i * nOut + o;
            float g = x[i] * delta[o];
            m[k] = 0.9f * m[k] + 0.1f * g;
            v[k] = 0.999f * v[k] + 0.001f * g * g;
            p[k] -= _learningRate * (m[k] / b1c) / (MathF.Sqrt(v[k] / b2c) + 1e-8f);
        }
    }

    private static void CheckLength(int actual, int expected, string name)
    {
        if (actual != expected)
            throw new ArgumentException($"{name} has {actual} values; expected {expected} (agents × layer width)", name);
    }
}
