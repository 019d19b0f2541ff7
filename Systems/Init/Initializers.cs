using System.Numerics;
using EcsNeural.Components;

namespace EcsNeural.Systems.Init;

/// <summary>Fills one instance of a parameter according to its <see cref="ParameterInit"/>.</summary>
public static class Initializers
{
    /// <summary>
    /// Fills <paramref name="destination"/> (one instance, <paramref name="shape"/>.Length elements). Fan-in is the
    /// number of rows, fan-out the number of columns (a weight matrix is [in × out]). Draws are keyed by
    /// (seed, instanceKey, nodeKey, element index).
    /// </summary>
    public static void Fill<T>(Span<T> destination, ParameterInit init, NodeShape shape, ulong seed, ulong instanceKey, ulong nodeKey)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        double fanIn = shape.Rows, fanOut = shape.Cols;
        (bool normal, double scale) = init.Kind switch
        {
            InitKind.Constant => (false, 0.0),
            InitKind.Normal => (true, init.Value),
            InitKind.Uniform => (false, init.Value),
            InitKind.XavierUniform => (false, Math.Sqrt(6.0 / (fanIn + fanOut))),
            InitKind.XavierNormal => (true, Math.Sqrt(2.0 / (fanIn + fanOut))),
            InitKind.HeNormal => (true, Math.Sqrt(2.0 / fanIn)),
            InitKind.HeUniform => (false, Math.Sqrt(6.0 / fanIn)),
            _ => throw new ArgumentOutOfRangeException(nameof(init), $"Unknown initialiser {init.Kind}."),
        };
        for (int j = 0; j < destination.Length; j++)
        {
            double value = init.Kind == InitKind.Constant ? init.Value
                : normal ? scale * KeyedRandom.Normal(seed, instanceKey, nodeKey, (ulong)j)
                : scale * (2.0 * KeyedRandom.Uniform(seed, instanceKey, nodeKey, (ulong)j) - 1.0);
            destination[j] = T.CreateTruncating(value);
        }
    }
}
