using EcsNeural.Components;
using EcsNeural.Ecs;
using EcsNeural.Plugin.Checkpoints;
using EcsNeural.Systems.Graph;
using EcsNeural.Systems.Optimizers;

namespace EcsNeural.Tests.Backprop;

/// <summary>
/// Graph nodes destroyed or changed behind the graph's back are noticed at the next tick with an error naming the node
/// and what changed; batch resizes of several inputs are one call, validated as a whole.
/// </summary>
public class GraphChangeTests
{
    /// <summary>x [2×3] → Dense(4) → ReLU → Dense(1), MSE to t [2×1], SGD; trained one step.</summary>
    private static (EngineFixture<float> F, Entity X, Entity T, DenseLayer Hidden, Entity Relu, DenseLayer Output) Network()
    {
        var f = new EngineFixture<float>(instances: 2);
        Entity x = f.Builder.Input(2, 3), t = f.Builder.Input(2, 1);
        DenseLayer hidden = f.Builder.DenseLayer(x, 4, ParameterInit.He);
        Entity relu = f.Builder.Relu(hidden.Output);
        DenseLayer output = f.Builder.DenseLayer(relu, 1);
        f.Graph.Loss = f.Builder.MseLoss(output.Output, t);
        f.Graph.Optimizer = OptimizerOptions.Sgd(0.1);
        for (int i = 0; i < 2; i++)
        {
            f.SetInstance(x, i, 0.5f, -1, 2, 1, 0.25f, -0.5f);
            f.SetInstance(t, i, 1, -1);
        }
        f.Step();
        return (f, x, t, hidden, relu, output);
    }

    [Test]
    public void ADestroyedNodeIsNamedAtTheNextTickAndByCheckpointSave()
    {
        (EngineFixture<float> f, _, _, _, Entity relu, _) = Network();
        using (f)
        {
            f.World.Destroy(relu);

            var tick = Assert.Throws<GraphValidationException>(f.Step)!;
            Assert.That(tick.Node, Is.EqualTo(relu));
            Assert.That(tick.Message, Does.Contain($"Node {relu} (Relu): was destroyed behind graph {f.Graph.Id}'s back").And.Contain("graph.Remove"));
            string path = Path.Combine(Path.GetTempPath(), $"ecsneural-{Guid.NewGuid():N}.ckpt");
            var save = Assert.Throws<GraphValidationException>(() => Checkpoint.Save(f.Graph, path))!;
            Assert.That(save.Node, Is.EqualTo(relu));
            Assert.That(File.Exists(path), Is.False);
            Assert.Throws<GraphValidationException>(f.Step, "still refused: the graph cannot run without it");
        }
    }

    [Test]
    public void AChangedNodeIsNamedUntilTheGraphIsInvalidated()
    {
        (EngineFixture<float> f, _, _, _, Entity relu, DenseLayer output) = Network();
        using (f)
        {
            f.World.Set(relu, new Node(OpCode.Tanh));

            var ex = Assert.Throws<GraphValidationException>(f.Step)!;
            Assert.That(ex.Message, Does.Contain($"Node {relu} (Relu): its Node (was Node {{ Op = Relu").And.Contain("now Node { Op = Tanh")
                .And.Contain("call graph.Invalidate()"));
            Assert.Throws<GraphValidationException>(f.Step);

            f.Graph.Invalidate();
            f.Forward();
            float[] hidden = f.Value(relu);
            Assert.That(hidden.Any(v => v < 0), Is.True, "tanh now, which is negative where ReLU was 0");
            Assert.That(f.Value(output.Output), Has.Length.EqualTo(2));
        }
    }

    [Test]
    public void ARemovedTrainableTagOrAShapeSetDirectlyIsNamed()
    {
        (EngineFixture<float> f, Entity x, _, DenseLayer hidden, _, _) = Network();
        using (f)
        {
            f.World.Remove<Trainable>(hidden.Weights);
            Assert.That(Assert.Throws<GraphValidationException>(f.Step)!.Message, Does.Contain("its Trainable tag (was there) changed"));
            f.World.Add(hidden.Weights, new Trainable());
            f.Step();

            f.World.Set(x, new NodeShape(5, 3));
            Assert.That(Assert.Throws<GraphValidationException>(f.Step)!.Message, Does.Contain("its NodeShape (was [2×3], now [5×3])"));
        }
    }

    [Test]
    public void InputAndTargetAreResizedTogetherInOneCall()
    {
        (EngineFixture<float> f, Entity x, Entity t, _, _, DenseLayer output) = Network();
        using (f)
        {
            f.Builder.ResizeBatch(5, x, t);

            Assert.That((f.Graph.ShapeOf(x), f.Graph.ShapeOf(t), f.Graph.ShapeOf(output.Output)),
                Is.EqualTo((new NodeShape(5, 3), new NodeShape(5, 1), new NodeShape(5, 1))));
            f.Set(x, [.. Enumerable.Range(0, 15).Select(i => i / 10f)]);
            f.Set(t, 1, 0, 1, 0, 1);
            f.Step();
        }
    }

    [Test]
    public void AResizeThatDoesNotCompileChangesNothing()
    {
        (EngineFixture<float> f, Entity x, Entity t, DenseLayer hidden, _, _) = Network();
        using (f)
        {
            float[] weights = f.Graph.AllValues(hidden.Weights).ToArray(), inputs = f.Graph.AllValues(x).ToArray();
            long arena = f.Graph.ArenaBytes;

            var ex = Assert.Throws<GraphValidationException>(() => f.Builder.ResizeBatch(5, x))!;   // the target keeps 2 rows

            Assert.That(ex.Op, Is.EqualTo(OpCode.MseLoss));
            Assert.That((f.Graph.ShapeOf(x), f.Graph.ShapeOf(t)), Is.EqualTo((new NodeShape(2, 3), new NodeShape(2, 1))));
            Assert.That(f.Graph.AllValues(hidden.Weights).ToArray(), Is.EqualTo(weights));
            Assert.That(f.Graph.AllValues(x).ToArray(), Is.EqualTo(inputs));
            Assert.That(f.Graph.ArenaBytes, Is.EqualTo(arena));
            Assert.DoesNotThrow(f.Step);
        }
    }

    [Test]
    public void ResizeArgumentsAreCheckedBeforeAnythingChanges()
    {
        (EngineFixture<float> f, Entity x, Entity t, DenseLayer hidden, _, _) = Network();
        using (f)
        {
            Assert.Throws<ArgumentException>(() => f.Builder.ResizeBatch(5, x, hidden.Weights));
            Assert.Throws<ArgumentException>(() => f.Builder.ResizeBatch(5, x, t, x));
            Assert.Throws<ArgumentOutOfRangeException>(() => f.Builder.ResizeBatch(0, x, t));
            Assert.That((f.Graph.ShapeOf(x), f.Graph.ShapeOf(t)), Is.EqualTo((new NodeShape(2, 3), new NodeShape(2, 1))));
            Assert.DoesNotThrow(f.Step);
        }
    }
}
