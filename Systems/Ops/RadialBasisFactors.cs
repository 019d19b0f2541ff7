using System.Numerics;
using EcsNeural.Components;

namespace EcsNeural.Systems.Ops;

/// <summary>
/// One factor of a radial basis contraction: its value at index (b, j, u). Factors are ordinary structs over array
/// segments, not span-holding ref structs: .NET 8 cannot take a ref struct as a type argument.
/// </summary>
internal interface IRadialBasisFactor<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>The factor at sample b, input j, unit u.</summary>
    T At(int b, int j, int u);
}

/// <summary>A matrix indexed as one <see cref="RadialBasisOperand"/>: its element at (b, j, u) lies at b·B + j·J + u·U.</summary>
internal readonly struct RadialBasisMatrix<T>(ArraySegment<T> values, int strideB, int strideJ, int strideU) : IRadialBasisFactor<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly ArraySegment<T> _values = values;

    public T At(int b, int j, int u) => _values[b * strideB + j * strideJ + u * strideU];
}

/// <summary>The difference x_bj − W_ju of a radial basis layer's input and centres.</summary>
internal readonly struct RadialBasisDifference<T>(ArraySegment<T> x, ArraySegment<T> w, int inDim, int units) : IRadialBasisFactor<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly ArraySegment<T> _x = x, _w = w;

    public T At(int b, int j, int u) => _x[b * inDim + j] - _w[j * units + u];
}
