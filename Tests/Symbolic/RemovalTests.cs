using EcsNeural.Components;
using EcsNeural.Ecs;
using EcsNeural.Systems.Graph;
using EcsNeural.Systems.Optimizers;
using EcsNeural.Systems.Population;
using EcsNeural.Systems.Symbolic;
using EcsNeural.Tests.Backprop;

namespace EcsNeural.Tests.Symbolic;

/// <summary>
/// Removing the nodes a symbolic build added (<c>graph.Remove(graph.NodesAddedSince(mark))</c>): the graph then trains
/// bit for bit like one that never had them and its arena shrinks back; nodes something still reads, the loss, a
/// requested variable and foreign entities are refused, naming the node, with nothing removed.
/// </summary>
public class RemovalTests
{
    /// <summary>A float64 tanh MLP 3-5-2 with MSE, 2 instances, trained by Adam; inputs from a fixed seed.</summary>
    private sealed class Mlp : IDisposable
    {
        public Mlp()
        {
            var nn = F.Builder;
            GraphMark start = F.Graph.Mark();
            X = nn.Input(4, 3);
            Entity t = nn.Input(4, 2);
            DenseLayer hidden = nn.DenseLayer(X, 5, ParameterInit.Xavier, ParameterInit.Constant(0.1));
            DenseLayer output = nn.DenseLayer(nn.Tanh(hidden.Output), 2, ParameterInit.Xavier);
            Loss = nn.MseLoss(output.Output, t);
            Parameters = [hidden.Weights, hidden.Bias, output.Weights, output.Bias];
            F.Graph.Loss = Loss;
            F.Graph.Optimizer = OptimizerOptions.Adam(0.01);
            var random = new Random(11);
            for (int i = 0; i < 2; i++)
            {
                foreach (Entity e in new[] { X, t })
                    F.SetInstance(e, i, [.. Enumerable.Range(0, F.Graph.ShapeOf(e).Length).Select(_ => 2 * random.NextDouble() - 1)]);
            }
            Nodes = F.Graph.NodesAddedSince(start);
        }

        public EngineFixture<double> F { get; } = new(instances: 2, seed: 4);
        public Entity X { get; }
        public Entity Loss { get; }
        public Entity[] Parameters { get; }
        /// <summary>The network's own nodes, in creation order.</summary>
        public Entity[] Nodes { get; }

        public void Dispose() => F.Dispose();
    }

    [Test]
    public void RemovingAnHvpsNodesTrainsBitForBitLikeAGraphThatNeverHadThem()
    {
        using var reference = new Mlp();
        using var m = new Mlp();
        long arena = m.F.Graph.ArenaBytes;
        Assert.That(arena, Is.EqualTo(reference.F.Graph.ArenaBytes));

        GraphMark mark = m.F.Graph.Mark();
        Entity[] vectors = [.. m.Parameters.Select(p => m.F.Builder.Input(m.F.Graph.ShapeOf(p).Rows, m.F.Graph.ShapeOf(p).Cols))];
        foreach (Entity v in vectors)
            m.F.Graph.AllValues(v).Fill(0.5);
        Entity[] hv = SymbolicGradient.HessianVectorProduct(m.F.Builder, m.Loss, m.Parameters, vectors);
        for (int step = 0; step < 2; step++)   // train with the HVP's nodes in the graph, evaluated every step
        {
            m.F.Step();
            reference.F.Step();
        }
        Assert.That(m.F.Value(hv[0]).Any(h => h != 0), Is.True, "H·v was evaluated");
        Assert.That(m.F.Graph.ArenaBytes, Is.GreaterThan(arena));

        Entity[] added = m.F.Graph.NodesAddedSince(mark);
        m.F.Graph.Remove(added);

        Assert.That(added.Where(m.F.World.IsAlive), Is.Empty);
        Assert.That(m.F.Graph.NodesAddedSince(mark), Is.Empty);
        Assert.That(m.F.Graph.ArenaBytes, Is.EqualTo(arena), "the arena shrinks back");
        Assert.That(Positions(m, m.F.Graph.ForwardOrder), Is.EqualTo(Positions(reference, reference.F.Graph.ForwardOrder)));
        Assert.That(Positions(m, m.F.Graph.BackwardOrder), Is.EqualTo(Positions(reference, reference.F.Graph.BackwardOrder)));
        for (int step = 0; step < 3; step++)
        {
            m.F.Step();
            reference.F.Step();
        }
        AssertSameState(m, reference);
    }

    [Test]
    public void TheLossIsRefusedUntilItIsSetBackThenAGradientPenaltyIsRemoved()
    {
        using var reference = new Mlp();
        using var m = new Mlp();
        GraphMark mark = m.F.Graph.Mark();
        PenalizedLoss penalised = SymbolicGradient.GradientPenalty(m.F.Builder, m.Loss, m.X, lambda: 0.5);
        m.F.Graph.Loss = penalised.Total;
        m.F.Step();
        double penalisedLoss = m.F.Value(penalised.Total)[0];

        var ex = Assert.Throws<GraphValidationException>(() => m.F.Graph.Remove(m.F.Graph.NodesAddedSince(mark)));
        Assert.That(ex!.Node, Is.EqualTo(penalised.Total));
        Assert.That(ex.Message, Does.Contain("loss"));
        Assert.That(m.F.Graph.NodesAddedSince(mark).All(m.F.World.IsAlive), Is.True, "nothing was removed");
        m.F.Forward();
        Assert.That(m.F.Value(penalised.Total)[0], Is.Not.EqualTo(penalisedLoss), "and the graph still runs (the step moved the weights)");

        m.F.Graph.Loss = m.Loss;
        m.F.Graph.Remove(m.F.Graph.NodesAddedSince(mark));
        foreach (Entity p in m.Parameters)   // one penalised step moved m's weights: start the reference there
        {
            int k = Array.IndexOf(m.Nodes, p);
            for (int i = 0; i < 2; i++)
            {
                reference.F.SetInstance(reference.Nodes[k], i, m.F.Value(p, i));
                for (int moment = 0; moment < 2; moment++)
                    m.F.Graph.OptimizerState(p, i, moment).CopyTo(reference.F.Graph.OptimizerState(reference.Nodes[k], i, moment));
                reference.F.Graph.SetOptimizerSteps(i, m.F.Graph.OptimizerSteps(i));
            }
        }
        for (int step = 0; step < 3; step++)
        {
            m.F.Step();
            reference.F.Step();
        }
        AssertSameState(m, reference);
    }

    [Test]
    public void ANodeThatARemainingNodeReadsIsRefusedNamingBoth()
    {
        using var m = new Mlp();
        GraphMark mark = m.F.Graph.Mark();
        Entity[] gradient = SymbolicGradient.Build(m.F.Builder, m.Loss, m.Parameters);
        Entity[] built = m.F.Graph.NodesAddedSince(mark);
        Entity square = m.F.Builder.Square(gradient[0]);   // the host's own node, kept, reading ∂loss/∂W₁
        m.F.Builder.Sum(square);
        m.F.Forward();
        double[] before = m.F.Value(gradient[0]);

        var ex = Assert.Throws<GraphValidationException>(() => m.F.Graph.Remove(built));
        Assert.That(ex!.Node, Is.EqualTo(gradient[0]));
        Assert.That(ex.Message, Does.Contain(square.ToString()).And.Contain("input 0"));
        Assert.That(built.All(m.F.World.IsAlive), Is.True, "nothing was removed");
        m.F.Forward();
        Assert.That(m.F.Value(gradient[0]), Is.EqualTo(before));

        m.F.Graph.Remove(m.F.Graph.NodesAddedSince(mark));   // with the host's nodes too it goes
        Assert.That(m.F.Graph.ForwardOrder.All(m.Nodes.Contains), Is.True);
    }

    [Test]
    public void ARequestedVariableIsRefused()
    {
        using var m = new Mlp();
        Entity side = m.F.Builder.Tanh(m.X);
        m.F.Graph.RequestGradients([.. m.Parameters, side]);

        var ex = Assert.Throws<GraphValidationException>(() => m.F.Graph.Remove([side]));
        Assert.That(ex!.Node, Is.EqualTo(side));
        Assert.That(ex.Message, Does.Contain("RequestGradients"));

        m.F.Graph.RequestGradients(m.Parameters);
        m.F.Graph.Remove([side]);
        Assert.That(m.F.World.IsAlive(side), Is.False);
    }

    [Test]
    public void NodesAnAgentPopulationReadsAreRefused()
    {
        using var f = new EngineFixture<float>(instances: 2);
        var nn = f.Builder;
        Entity observation = nn.Input(1, 3), target = nn.Input(1, 2);
        Entity action = nn.DenseLayer(observation, 2).Output;
        Entity loss = nn.MseLoss(action, target);
        var populations = new PopulationRegistry(f.Runtime);
        populations.Create(f.Graph, observation, action, target: target);

        foreach (Entity e in new[] { action, target })
        {
            var ex = Assert.Throws<GraphValidationException>(() => f.Graph.Remove([loss, e]));
            Assert.That(ex!.Node, Is.EqualTo(e));
            Assert.That(ex.Message, Does.Contain("agent population"));
        }
        f.Graph.Remove([loss]);   // nothing else reads the loss, and it is not the graph's loss
        Assert.That(f.World.IsAlive(action) && f.World.IsAlive(target) && !f.World.IsAlive(loss), Is.True);
    }

    [Test]
    public void EntitiesThatAreNotLiveNodesOfTheGraphAreRefused()
    {
        using var m = new Mlp();
        ComputeGraph<double> other = m.F.Runtime.CreateGraph<double>(1, seed: 1);
        Entity foreign = new GraphBuilder(other).Input(1, 1);
        Entity plain = m.F.World.Create(), destroyed = m.F.World.Create();
        m.F.World.Destroy(destroyed);
        Entity side = m.F.Builder.Tanh(m.X);

        foreach (Entity e in new[] { foreign, plain, destroyed })
        {
            var ex = Assert.Throws<ArgumentException>(() => m.F.Graph.Remove([side, e]));
            Assert.That(ex!.Message, Does.Contain(e.ToString()));
        }
        Assert.That(m.F.World.IsAlive(side), Is.True, "nothing was removed");
        Assert.Throws<ArgumentException>(() => m.F.Graph.NodesAddedSince(other.Mark()));
    }

    /// <summary>Where each node stands in the network's creation order.</summary>
    private static int[] Positions(Mlp m, IEnumerable<Entity> nodes) => [.. nodes.Select(e => Array.IndexOf(m.Nodes, e))];

    /// <summary>Values of every node, gradients of every parameter and the optimizer state, instance by instance: identical bits.</summary>
    private static void AssertSameState(Mlp m, Mlp reference)
    {
        for (int k = 0; k < m.Nodes.Length; k++)
        {
            for (int i = 0; i < 2; i++)
                Assert.That(m.F.Value(m.Nodes[k], i), Is.EqualTo(reference.F.Value(reference.Nodes[k], i)), $"value of node {k}, instance {i}");
        }
        foreach (Entity p in m.Parameters)
        {
            Entity q = reference.Nodes[Array.IndexOf(m.Nodes, p)];
            for (int i = 0; i < 2; i++)
            {
                Assert.That(m.F.Gradient(p, i), Is.EqualTo(reference.F.Gradient(q, i)), $"gradient of {p}, instance {i}");
                Assert.That(m.F.Graph.OptimizerState(p, i, 1).ToArray(), Is.EqualTo(reference.F.Graph.OptimizerState(q, i, 1).ToArray()));
            }
        }
    }
}
