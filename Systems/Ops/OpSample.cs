using EcsNeural.Components;

namespace EcsNeural.Systems.Ops;

/// <summary>How an example operand's values are drawn, so they stay away from an op's kinks and outside its domain.</summary>
public enum SampleDraw : byte
{
    /// <summary>±[0.1, 2].</summary>
    Signed,
    /// <summary>[0.2, 1.2].</summary>
    Positive,
    /// <summary>±([0.1, 0.8] or [1.2, 2.2]): away from hard tanh's corners.</summary>
    AwayFromOne,
    /// <summary>[0.1, 0.5].</summary>
    Small,
    /// <summary>Each row one-hot (class targets).</summary>
    OneHotRows,
}

/// <summary>One example operand: its shape and how its values are drawn.</summary>
public readonly record struct SampleOperand(int Rows, int Cols, SampleDraw Draw = SampleDraw.Signed);

/// <summary>An example node of an op: its attributes and its operands.</summary>
public sealed record OpSample(Node Node, SampleOperand[] Operands);

/// <summary>
/// An op's example on operands whose sides are drawn at random: rows <paramref name="r"/>, columns <paramref name="c"/>,
/// an inner or output size <paramref name="k"/>. The tests gradient-check every op's example, compare its symbolic
/// gradient with the numeric one, and export it to ONNX, so a new op is tested by declaring it.
/// </summary>
public delegate OpSample OpSampler(int r, int c, int k);
