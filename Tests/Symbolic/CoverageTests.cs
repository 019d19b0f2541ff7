using EcsNeural.Components;
using EcsNeural.Ecs;
using EcsNeural.Systems.Ops;
using EcsNeural.Tests.Backprop;

namespace EcsNeural.Tests.Symbolic;

/// <summary>
/// Every op is described once, completely, in the registry the tests enumerate: an op added without a description, or
/// whose description lacks a shape rule, a bprop or a sample, fails here by name (the registry refuses it).
/// </summary>
public class CoverageTests
{
    [Test]
    public void EveryOpCodeHasExactlyOneCompleteDescription()
    {
        Assert.That(Operations.All.Select(d => d.Op), Is.EqualTo(Enum.GetValues<OpCode>()));
        foreach (OpDescription d in Operations.All)
        {
            bool leaf = d.Op is OpCode.Input or OpCode.Parameter;
            Assert.That(d.Arity == 0, Is.EqualTo(leaf), $"{d.Op}'s arity");
            Assert.That(d.Shape is null, Is.EqualTo(leaf), $"{d.Op}'s shape rule");
            Assert.That(d.Sample is null, Is.EqualTo(leaf), $"{d.Op}'s sample");
        }
    }

    [Test]
    public void EveryOpsSampleIsAnOpCaseOfThatOp()
    {
        using var f = new EngineFixture<double>(1);
        var built = new HashSet<OpCode>();
        foreach (OpCase op in OpCases.All(11))
        {
            Entity[] inputs = [.. op.Operands.Select(o => f.Builder.Input(o.Rows, o.Cols))];
            Entity node = op.Make(f.Builder, inputs);
            Assert.That(f.Graph.ShapeOf(node).Length, Is.GreaterThan(0), op.Name);
            built.Add(f.World.Get<Node>(node).Op);
        }

        Assert.That(built, Is.EquivalentTo(Enum.GetValues<OpCode>().Where(op => op is not (OpCode.Input or OpCode.Parameter))));
    }
}
