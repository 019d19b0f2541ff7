using EcsNeural.Tests.Backprop;

namespace EcsNeural.Tests.Symbolic;

/// <summary>
/// The operations added for symbolic gradients are proper operations: their numeric backward passes agree with central
/// finite differences in float64 (masks, selectors and constants: a zero derivative, as finite differences away from
/// the jumps also find).
/// </summary>
public class HelperOpGradientCheckTests
{
    private static IEnumerable<TestCaseData> Cases()
        => new[] { 11, 22, 33 }.SelectMany(seed => OpCases.All(seed)
            .Where(op => op.Helper)
            .Select(op => new TestCaseData(op, seed).SetName($"{op.Name} seed {seed}")));

    [TestCaseSource(nameof(Cases))]
    public void BackwardMatchesCentralDifferences(OpCase op, int seed)
    {
        using var h = new OpHarness(op, seed);
        h.Fixture.Graph.Loss = h.Z;

        double error = GradientCheck.MaxRelativeError(h.Fixture, h.Inputs);

        Assert.That(error, Is.LessThanOrEqualTo(1e-6), $"{op.Name}: relative error {error:E2}");
    }
}
