using EcsNeural.Components;

namespace EcsNeural.Tests.Symbolic;

/// <summary>Every operation has a symbolic bprop and a case in the symbolic tests (an op added later without one fails here, by name).</summary>
public class CoverageTests
{
    [Test]
    public void EveryOperationIsCoveredByTheSymbolicTests()
    {
        var covered = OpCases.All(11).Select(op => op.Name.Split(' ')[0]).ToHashSet();
        string[] missing = [.. Enum.GetValues<OpCode>()
            .Where(op => op is not (OpCode.Input or OpCode.Parameter))
            .Select(op => op.ToString())
            .Where(name => !covered.Contains(name))];

        Assert.That(missing, Is.Empty, "operations without a symbolic bprop test case (add a rule in Systems/Symbolic and a case in OpCases)");
    }
}
