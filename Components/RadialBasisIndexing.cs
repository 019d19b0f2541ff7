namespace EcsNeural.Components;

/// <summary>
/// The three matrices of a radial basis layer's index space: samples b, input features j, units u. Every matrix of
/// a radial basis layer's derivatives is indexed by two of them.
/// </summary>
public enum RadialBasisOperand
{
    /// <summary>[batch×in], indexed (b, j): shaped like the layer's input x.</summary>
    Input,
    /// <summary>[in×units], indexed (j, u): shaped like the centres W.</summary>
    Centres,
    /// <summary>[batch×units], indexed (b, u): shaped like the layer's output h.</summary>
    Units,
}

/// <summary>
/// How a radial basis contraction (<see cref="OpCode.RadialBasisDifference"/>, <see cref="OpCode.RadialBasisProduct"/>)
/// indexes its result and factors, packed into <see cref="Node.Pieces"/>.
/// </summary>
/// <param name="Output">The result's operand; the index it lacks is the one summed over.</param>
/// <param name="First">The first factor's operand.</param>
/// <param name="Second">The second factor's operand (product only; a difference's second factor is x − W).</param>
/// <param name="MissingExtent">
/// The size of the one index neither factor has (product of two factors with the same operand), otherwise 0.
/// </param>
public readonly record struct RadialBasisIndexing(RadialBasisOperand Output, RadialBasisOperand First, RadialBasisOperand Second = default,
    int MissingExtent = 0)
{
    private const int OperandBits = 2, ExtentShift = 3 * OperandBits, LargestExtent = int.MaxValue >> ExtentShift;

    /// <summary>The packed form stored in <see cref="Node.Pieces"/>.</summary>
    public int Pack()
    {
        if (MissingExtent is < 0 or > LargestExtent)
            throw new ArgumentOutOfRangeException(nameof(MissingExtent), $"A radial basis extent must lie in [0, {LargestExtent}], got {MissingExtent}.");
        return (int)Output | (int)First << OperandBits | (int)Second << 2 * OperandBits | MissingExtent << ExtentShift;
    }

    /// <summary>The form packed by <see cref="Pack"/>.</summary>
    public static RadialBasisIndexing Unpack(int pieces)
    {
        const int mask = (1 << OperandBits) - 1;
        return new((RadialBasisOperand)(pieces & mask), (RadialBasisOperand)(pieces >> OperandBits & mask),
            (RadialBasisOperand)(pieces >> 2 * OperandBits & mask), pieces >> ExtentShift);
    }
}
