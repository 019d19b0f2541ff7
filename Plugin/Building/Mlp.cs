using System.Collections.Immutable;
using System.Numerics;
using EcsNeural.Components;
using EcsNeural.Ecs;
using EcsNeural.Systems.Graph;

namespace EcsNeural.Plugin.Building;

/// <summary>
/// A multilayer perceptron written the way the math reads, as an immutable description:
/// <c>Mlp.Input(18).Dense(32, Activation.Tanh).Dense(2, Activation.Tanh)</c> is f(x) = tanh(tanh(x·W₁ + b₁)·W₂ + b₂).
/// <see cref="Build{T}"/> turns it into nodes of a graph through the engine's <see cref="GraphBuilder"/>; for other DAGs
/// (shared subexpressions, several inputs or outputs) use the <see cref="GraphBuilder"/> directly.
/// </summary>
public sealed class Mlp
{
    private Mlp(int inputFeatures, ImmutableArray<MlpLayer> layers)
    {
        InputFeatures = inputFeatures;
        Layers = layers;
    }

    /// <summary>Features of one input sample.</summary>
    public int InputFeatures { get; }

    /// <summary>The layers, input side first.</summary>
    public ImmutableArray<MlpLayer> Layers { get; }

    /// <summary>Features of one output sample (the input features when there are no layers yet).</summary>
    public int OutputFeatures => Layers.IsEmpty ? InputFeatures : Layers[^1].Units;

    /// <summary>Starts a network whose samples have <paramref name="features"/> features (≥ 1).</summary>
    public static Mlp Input(int features)
    {
        if (features < 1)
            throw new ArgumentOutOfRangeException(nameof(features), features, $"An input needs at least one feature, got {features}.");
        return new Mlp(features, []);
    }

    /// <summary>
    /// Appends a dense layer h = g(x·W + b) with <paramref name="units"/> outputs. Weights and bias default to the
    /// lecture's advice for the unit (He and 0.1 for rectifiers, Xavier and 0 otherwise). For maxout with k pieces the
    /// affine map has units·k outputs.
    /// </summary>
    public Mlp Dense(int units, Activation activation = default, ParameterInit? weights = null, ParameterInit? bias = null)
        => Append(new MlpLayer(RequireUnits(units), activation, weights, bias));

    /// <summary>Appends <paramref name="units"/> Gaussian radial basis units exp(−‖W:,i − x‖²/σ²) with learned centres.</summary>
    public Mlp RadialBasis(int units, double sigma, ParameterInit? centres = null)
    {
        if (!(sigma > 0) || !double.IsFinite(sigma))
            throw new ArgumentOutOfRangeException(nameof(sigma), sigma, $"σ must be a positive finite number, got {sigma}.");
        return Append(new MlpLayer(RequireUnits(units), Activation.Identity, centres, null, sigma));
    }

    /// <summary>
    /// Creates the network's nodes in <paramref name="graph"/>: an input [batch × <see cref="InputFeatures"/>], each
    /// layer's parameters and units, and — unless <paramref name="loss"/> is <see cref="OutputLoss.None"/> — a target input
    /// and the loss node, which becomes the graph's <see cref="ComputeGraph.Loss"/>.
    /// </summary>
    /// <exception cref="InvalidOperationException">The network has no layers.</exception>
    /// <exception cref="ArgumentException">The loss does not fit the last layer's unit.</exception>
    public MlpNetwork<T> Build<T>(ComputeGraph<T> graph, int batch = 1, OutputLoss loss = OutputLoss.None) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(graph);
        if (Layers.IsEmpty)
            throw new InvalidOperationException($"The network {this} has no layers; add one with Dense(...).");
        CheckLoss(loss);
        var nn = new GraphBuilder(graph);
        Entity input = nn.Input(batch, InputFeatures);
        MlpStack stack = Stack(nn, input);
        Entity h = stack.Output, logits = stack.Logits;
        Entity target = Entity.Null, lossNode = Entity.Null;
        if (loss != OutputLoss.None)
        {
            target = nn.Input(batch, OutputFeatures);
            lossNode = loss switch
            {
                OutputLoss.MeanSquaredError => nn.MseLoss(h, target),
                OutputLoss.SigmoidCrossEntropy => nn.SigmoidCrossEntropyLoss(logits, target),
                _ => nn.SoftmaxCrossEntropyLoss(logits, target),
            };
            graph.Loss = lossNode;
        }
        return new MlpNetwork<T>(this, graph, input, h, target, lossNode, stack.Layers, stack.Units);
    }

    /// <summary>
    /// The layers as nodes on an existing node <paramref name="input"/> [batch × <see cref="InputFeatures"/>] (e.g. a
    /// normalised observation): each layer's affine map and unit, input side first. With no layers the output is the input.
    /// </summary>
    internal MlpStack Stack(GraphBuilder nn, Entity input)
    {
        Entity h = input, logits = input;
        var layers = ImmutableArray.CreateBuilder<DenseLayer>(Layers.Length);
        var units = ImmutableArray.CreateBuilder<Entity>(Layers.Length);
        int features = InputFeatures;
        foreach (MlpLayer layer in Layers)
        {
            DenseLayer made = BuildLayer(nn, h, features, layer);
            features = layer.Units;
            layers.Add(made);
            logits = made.Output;
            h = ApplyUnit(nn, made.Output, layer);
            units.Add(h);
        }
        return new MlpStack(h, logits, layers.MoveToImmutable(), units.MoveToImmutable());
    }

    /// <summary>The architecture as arrows, e.g. <c>18 → 32 Tanh → 2 Tanh</c>.</summary>
    public override string ToString() => string.Join(" → ", Layers.Select(l => l.ToString()).Prepend(InputFeatures.ToString()));

    private Mlp Append(MlpLayer layer) => new(InputFeatures, Layers.Add(layer));

    private static int RequireUnits(int units)
    {
        if (units < 1)
            throw new ArgumentOutOfRangeException(nameof(units), units, $"A layer needs at least one unit, got {units}.");
        return units;
    }

    private void CheckLoss(OutputLoss loss)
    {
        OpCode? last = Layers[^1].Activation.Op;
        OpCode? needed = loss switch
        {
            OutputLoss.SigmoidCrossEntropy => OpCode.Sigmoid,
            OutputLoss.SoftmaxCrossEntropy => OpCode.Softmax,
            _ => null,
        };
        if (needed is { } unit && (last != unit || Layers[^1].IsRadialBasis))
            throw new ArgumentException($"{loss} pairs with a {unit} output unit, but the last layer of {this} is {Layers[^1]}.", nameof(loss));
    }

    private static DenseLayer BuildLayer(GraphBuilder nn, Entity x, int inputs, MlpLayer layer)
    {
        if (layer.IsRadialBasis)
        {
            Entity centres = nn.Parameter(inputs, layer.Units, layer.Weights ?? ParameterInit.Normal(1));
            return new DenseLayer(nn.RadialBasis(x, centres, layer.RadialBasisSigma), centres, Entity.Null);
        }
        int affine = layer.Units * layer.Activation.AffinePerUnit;
        return nn.DenseLayer(x, affine, layer.Weights ?? layer.Activation.DefaultWeights, layer.Bias ?? layer.Activation.DefaultBias);
    }

    private static Entity ApplyUnit(GraphBuilder nn, Entity z, MlpLayer layer)
    {
        Activation a = layer.Activation;
        return a.Unit is { } unit ? unit.Apply(nn, a.Op!.Value, z, a.Parameter, layer.Units) : z;
    }
}
