using EcsNeural.Ecs;
using EcsNeural.Systems.Symbolic;

namespace EcsNeural.Tests.Symbolic;

/// <summary>
/// The symbol-to-symbol gradient of every operation equals the symbol-to-number one, in float64, two instances, three
/// random shapes — bit for bit where the symbolic bprop performs the numeric kernel's arithmetic in the same order,
/// otherwise within the stated bound (see <see cref="Agreement"/> and the README's table).
/// </summary>
public class SymbolicEqualsNumericTests
{
    /// <summary>How closely an operation's symbolic gradient reproduces the numeric one.</summary>
    public enum Agreement
    {
        /// <summary>Bit for bit (+0 and −0 count as equal: a masked-out element is 0·dy in one and untouched 0 in the other).</summary>
        BitExact,
        /// <summary>
        /// Within 2 ulp per element: the numeric kernel uses a scalar <c>Math.Sin</c> or <c>Math.Exp</c>-based logistic
        /// where the graph's Sin/Sigmoid nodes use the vectorised TensorPrimitives ones.
        /// </summary>
        WithinTwoUlp,
    }

    /// <summary>The agreement each operation is held to.</summary>
    public static Agreement Expected(string op) => op switch
    {
        "Cos" or "Softplus" or "SigmoidCrossEntropyLoss" => Agreement.WithinTwoUlp,
        _ => Agreement.BitExact,
    };

    private static IEnumerable<TestCaseData> Cases()
        => new[] { 11, 22, 33 }.SelectMany(seed => OpCases.All(seed).Select(op => new TestCaseData(op, seed).SetName($"{op.Name} seed {seed}")));

    [TestCaseSource(nameof(Cases))]
    public void SymbolicGradientEqualsNumericGradient(OpCase op, int seed)
    {
        using var h = new OpHarness(op, seed);
        Entity[] symbolic = SymbolicGradient.Build(h.Fixture.Builder, h.Z, h.Inputs, PiecewiseDerivative.ZeroAlmostEverywhere);

        double[][][] numeric = h.NumericGradients();   // the same forward pass evaluates the symbolic nodes
        double[][][] fromGraph = h.ValuesOf(symbolic);

        long worstUlps = 0;
        for (int k = 0; k < numeric.Length; k++)
            for (int i = 0; i < OpHarness.Instances; i++)
                worstUlps = Math.Max(worstUlps, Ulps.Max(numeric[k][i], fromGraph[k][i]));
        Assert.That(worstUlps, Is.LessThanOrEqualTo(Expected(op.Name) == Agreement.BitExact ? 0 : 2), $"{op.Name}: {worstUlps} ulp apart");
    }
}
