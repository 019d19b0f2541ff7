using System.Numerics;
using EcsNeural.Components;

namespace EcsNeural.Systems.Ops;

/// <summary>One factor of a radial basis contraction: its value at index (b, j, u).</summary>
internal interface IRadialBasisFactor<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>The factor at sample b, input j, unit u.</summary>
    T At(int b, int j, int u);
}

/// <summary>A matrix indexed as one <see cref="RadialBasisOperand"/>: its element at (b, j, u) lies at b·B + j·J + u·U.</summary>
internal readonly ref struct RadialBasisMatrix<T>(ReadOnlySpan<T> values, int strideB, int strideJ, int strideU) : IRadialBasisFactor<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly ReadOnlySpan<T> _values = values;

    public T At(int b, int j, int u) => _values[b * strideB + j * strideJ + u * strideU];
}

/// <summary>The difference x_bj − W_ju of a radial basis layer's input and centres.</summary>
internal readonly ref struct RadialBasisDifference<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> w, int inDim, int units) : IRadialBasisFactor<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly ReadOnlySpan<T> _x = x, _w = w;

    public T At(int b, int j, int u) => _x[b * inDim + j] - _w[j * units + u];
}
