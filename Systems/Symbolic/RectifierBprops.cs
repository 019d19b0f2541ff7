using EcsNeural.Ecs;

namespace EcsNeural.Systems.Symbolic;

/// <summary>
/// Symbolic bprops of the rectifiers and maxout. Each multiplies by (or routes through) a piecewise-constant mask —
/// Step, Sign, or maxout's choice of piece — so their second derivatives pass through a mask whose derivative is 0
/// almost everywhere and undefined at the kink; <see cref="PiecewiseDerivative"/> decides what happens then.
/// </summary>
internal static class RectifierBprops
{
    /// <summary>y = max(0, x). Numeric: dx += dy where x &gt; 0.</summary>
    public static void Relu(BpropContext c) => c.Give(0, c.Nn.Mul(c.G, c.Nn.Step(c.Input(0))));

    /// <summary>y = x &gt; 0 ? x : αx. Numeric: dx += x &gt; 0 ? dy : α·dy.</summary>
    public static void LeakyRelu(BpropContext c) => c.Give(0, c.Nn.Mul(c.G, c.Nn.Step(c.Input(0), c.Attributes.Scalar)));

    /// <summary>
    /// y = x &gt; 0 ? x : α_j x. Numeric: dx += dy·(x &gt; 0 ? 1 : α_j); dα_j += Σ_rows dy·x where x ≤ 0. The slope is
    /// s + (1 − s)·α with s = Step(x), exactly 1 or α_j.
    /// </summary>
    public static void PRelu(BpropContext c)
    {
        Entity x = c.Input(0), alpha = c.Input(1);
        Entity positive = c.Nn.Step(x);
        Entity notPositive = c.OneMinus(positive);
        if (c.Needs(0))
            c.Give(0, c.Nn.Mul(c.G, c.Nn.Add(positive, c.Nn.Mul(notPositive, alpha))));
        if (c.Needs(1))
            c.Give(1, c.ReduceTo(c.Nn.Mul(c.Nn.Mul(c.G, x), notPositive), c.Shape(1)));
    }

    /// <summary>y = |x|. Numeric: dx += sign(x)·dy.</summary>
    public static void AbsRelu(BpropContext c) => c.Give(0, c.Nn.Mul(c.G, c.Nn.Sign(c.Input(0))));

    /// <summary>y = max(−1, min(1, x)). Numeric: dx += dy where |x| &lt; 1, i.e. where 1 − |x| &gt; 0 (exact for every x).</summary>
    public static void HardTanh(BpropContext c)
        => c.Give(0, c.Nn.Mul(c.G, c.Nn.Step(c.OneMinus(c.Nn.AbsRelu(c.Input(0))))));

    /// <summary>y_u = max of group u. Numeric: dx at the first maximal piece += dy_u.</summary>
    public static void Maxout(BpropContext c) => c.Give(0, c.Nn.MaxoutScatter(c.G, c.Input(0), c.Attributes.Pieces));

    /// <summary>Routing of values by a selector. Numeric: dvalues += dy read at the selected pieces.</summary>
    public static void MaxoutScatter(BpropContext c) => c.Give(0, c.Nn.MaxoutGather(c.G, c.Input(1), c.Attributes.Pieces));

    /// <summary>Selection of values by a selector. Numeric: dvalues at the selected pieces += dy.</summary>
    public static void MaxoutGather(BpropContext c) => c.Give(0, c.Nn.MaxoutScatter(c.G, c.Input(1), c.Attributes.Pieces));
}
