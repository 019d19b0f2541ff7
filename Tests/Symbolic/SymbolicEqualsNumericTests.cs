using EcsNeural.Ecs;
using EcsNeural.Systems.Symbolic;

namespace EcsNeural.Tests.Symbolic;

/// <summary>
/// The symbol-to-symbol gradient of every operation equals the symbol-to-number one bit for bit, in float64, two
/// instances, three random shapes: each symbolic bprop performs the numeric kernel's arithmetic in the same order, with
/// the same vectorised functions (+0 and −0 count as equal: a masked-out element is 0·dy in one and an untouched 0 in
/// the other).
/// </summary>
public class SymbolicEqualsNumericTests
{
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
        Assert.That(worstUlps, Is.Zero, $"{op.Name}: {worstUlps} ulp apart");
    }
}
