using System.Numerics;
using EcsNeural.Components;

namespace EcsNeural.Systems.Ops;

/// <summary>
/// The sizes of a radial basis contraction's three indices b, j, u (<see cref="RadialBasisOperand"/>), read off its operands
/// and checked for agreement, and where (b, j, u) lies in each operand (row-major).
/// </summary>
internal readonly record struct RadialBasisExtents(int Batch, int In, int Units)
{
    /// <summary><paramref name="values"/> as a factor indexed as <paramref name="operand"/>.</summary>
    public RadialBasisMatrix<T> Matrix<T>(ArraySegment<T> values, RadialBasisOperand operand) where T : unmanaged, IFloatingPointIeee754<T>
        => operand switch
        {
            RadialBasisOperand.Input => new(values, In, 1, 0),
            RadialBasisOperand.Centres => new(values, 0, Units, 1),
            _ => new(values, Units, 0, 1),
        };

    /// <summary>The factor x_bj − W_ju.</summary>
    public RadialBasisDifference<T> Difference<T>(ArraySegment<T> x, ArraySegment<T> centres) where T : unmanaged, IFloatingPointIeee754<T>
        => new(x, centres, In, Units);

    /// <summary>
    /// The axes (0 = b, 1 = j, 2 = u) of a matrix indexed as <paramref name="operand"/>: its rows, its columns, and the
    /// one it lacks (summed over when it is a contraction's result).
    /// </summary>
    public static (int Rows, int Cols, int Lacking) Axes(RadialBasisOperand operand) => operand switch
    {
        RadialBasisOperand.Input => (0, 1, 2),
        RadialBasisOperand.Centres => (1, 2, 0),
        _ => (0, 2, 1),
    };

    /// <summary>The shape of a matrix indexed as <paramref name="operand"/>.</summary>
    public NodeShape ShapeOf(RadialBasisOperand operand) => operand switch
    {
        RadialBasisOperand.Input => new(Batch, In),
        RadialBasisOperand.Centres => new(In, Units),
        _ => new(Batch, Units),
    };

    /// <summary>The extents of the contraction node <paramref name="c"/> runs.</summary>
    public static RadialBasisExtents Of<T>(in OpContext<T> c, OpCode op) where T : unmanaged, IFloatingPointIeee754<T>
    {
        Span<NodeShape> inputs = [c.InputShape(0), c.InputShape(1), op == OpCode.RadialBasisDifference ? c.InputShape(2) : default];
        return Of(op, RadialBasisIndexing.Unpack(c.Pieces), inputs);
    }

    /// <summary>
    /// The extents the inputs name, checked for agreement, with <see cref="RadialBasisIndexing.MissingExtent"/> for the
    /// index neither factor of a product has.
    /// </summary>
    public static RadialBasisExtents Of(OpCode op, RadialBasisIndexing form, ReadOnlySpan<NodeShape> inputs)
    {
        Span<int> sizes = [-1, -1, -1];
        Name(sizes, form.First, inputs[0], "first factor");
        if (op == OpCode.RadialBasisDifference)
        {
            Name(sizes, RadialBasisOperand.Input, inputs[1], "x");
            Name(sizes, RadialBasisOperand.Centres, inputs[2], "centres");
        }
        else
            Name(sizes, form.Second, inputs[1], "second factor");
        int missing = sizes.IndexOf(-1);
        if (missing < 0 && form.MissingExtent != 0)
            throw new InvalidShapeException($"the operands name every index, so the missing extent must be 0, got {form.MissingExtent}");
        if (missing >= 0)
        {
            if (form.MissingExtent <= 0)
                throw new InvalidShapeException($"no operand has the {IndexName(missing)} index, so its extent must be given (positive), got {form.MissingExtent}");
            sizes[missing] = form.MissingExtent;
        }
        return new(sizes[0], sizes[1], sizes[2]);
    }

    /// <summary>Records the two index sizes <paramref name="shape"/> gives as <paramref name="operand"/>; they must agree with the others.</summary>
    private static void Name(Span<int> sizes, RadialBasisOperand operand, NodeShape shape, string what)
    {
        (int rowIndex, int colIndex, _) = Axes(operand);
        Agree(sizes, rowIndex, shape.Rows, operand, shape, what);
        Agree(sizes, colIndex, shape.Cols, operand, shape, what);
    }

    private static void Agree(Span<int> sizes, int index, int size, RadialBasisOperand operand, NodeShape shape, string what)
    {
        if (sizes[index] >= 0 && sizes[index] != size)
            throw new InvalidShapeException($"{what} {shape} as {operand} gives the {IndexName(index)} index {size} where another operand gives {sizes[index]}");
        sizes[index] = size;
    }

    /// <summary>
    /// The extent a product of factors indexed as <paramref name="first"/> and <paramref name="second"/> must be told:
    /// that of the index neither has, or 0 when between them they have all three.
    /// </summary>
    public int Missing(RadialBasisOperand first, RadialBasisOperand second)
    {
        if (first != second)
            return 0;
        return Axes(first).Lacking switch { 0 => Batch, 1 => In, _ => Units };
    }

    private static string IndexName(int index) => index switch { 0 => "sample (b)", 1 => "input (j)", _ => "unit (u)" };
}
