namespace EcsNeural.Systems.Symbolic;

/// <summary>Symbolic bprops of the smooth element-wise functions (each is twice, indeed infinitely, differentiable).</summary>
internal static class ElementwiseBprops
{
    /// <summary>y = eˣ. Numeric: dx += dy·y.</summary>
    public static void Exp(BpropContext c) => c.Give(0, c.Nn.Mul(c.G, c.Node));

    /// <summary>y = ln x. Numeric: dx += dy / x.</summary>
    public static void Log(BpropContext c) => c.Give(0, c.Nn.Div(c.G, c.Input(0)));

    /// <summary>y = sin x. Numeric: dx += dy·cos x.</summary>
    public static void Sin(BpropContext c) => c.Give(0, c.Nn.Mul(c.G, c.Nn.Cos(c.Input(0))));

    /// <summary>y = cos x. Numeric: dx −= dy·sin x.</summary>
    public static void Cos(BpropContext c) => c.Give(0, c.Negate(c.Nn.Mul(c.G, c.Nn.Sin(c.Input(0)))));

    /// <summary>y = x². Numeric: dx += 2x·dy.</summary>
    public static void Square(BpropContext c) => c.Give(0, c.Nn.Mul(c.Nn.Scale(c.Input(0), 2), c.G));

    /// <summary>y = σ(x). Numeric: dx += dy·y·(1 − y).</summary>
    public static void Sigmoid(BpropContext c) => c.Give(0, c.Nn.Mul(c.Nn.Mul(c.G, c.Node), c.OneMinus(c.Node)));

    /// <summary>y = tanh x. Numeric: dx += dy·(1 − y²).</summary>
    public static void Tanh(BpropContext c) => c.Give(0, c.Nn.Mul(c.G, c.OneMinus(c.Nn.Square(c.Node))));

    /// <summary>y = ς(x). Numeric: dx += dy·σ(x).</summary>
    public static void Softplus(BpropContext c) => c.Give(0, c.Nn.Mul(c.G, c.Nn.Sigmoid(c.Input(0))));
}
