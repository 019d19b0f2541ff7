using EcsNeural.Components;
using EcsNeural.Ecs;

namespace EcsNeural.Systems.Symbolic;

/// <summary>Symbolic bprops of the broadcasting arithmetic, the constants' relatives and the reductions and their adjoints.</summary>
internal static class BroadcastBprops
{
    /// <summary>y = a + b. Numeric: da += dy, db += dy summed over b's broadcast axes.</summary>
    public static void Add(BpropContext c)
    {
        if (c.Needs(0))
            c.Give(0, c.G);
        if (c.Needs(1))
            c.Give(1, c.ReduceTo(c.G, c.Shape(1)));
    }

    /// <summary>y = a − b. Numeric: da += dy, db −= dy summed over b's broadcast axes.</summary>
    public static void Sub(BpropContext c)
    {
        if (c.Needs(0))
            c.Give(0, c.G);
        if (c.Needs(1))
            c.Give(1, c.Negate(c.ReduceTo(c.G, c.Shape(1))));
    }

    /// <summary>y = a ⊙ b. Numeric: da += dy ⊙ b, db += Σ_broadcast dy ⊙ a.</summary>
    public static void Mul(BpropContext c)
    {
        if (c.Needs(0))
            c.Give(0, c.Nn.Mul(c.G, c.Input(1)));
        if (c.Needs(1))
            c.Give(1, c.ReduceTo(c.Nn.Mul(c.G, c.Input(0)), c.Shape(1)));
    }

    /// <summary>y = Σ a ⊙ b. Numeric: da += b·dy, db += a·dy (dy a scalar, broadcast by Mul).</summary>
    public static void Dot(BpropContext c)
    {
        if (c.Needs(0))
            c.Give(0, c.Nn.Mul(c.Input(1), c.G));
        if (c.Needs(1))
            c.Give(1, c.Nn.Mul(c.Input(0), c.G));
    }

    /// <summary>y = a / b. Numeric: da += dy / b, db −= dy·y / b.</summary>
    public static void Div(BpropContext c)
    {
        if (c.Needs(0))
            c.Give(0, c.Nn.Div(c.G, c.Input(1)));
        if (c.Needs(1))
            c.Give(1, c.Negate(c.Nn.Div(c.Nn.Mul(c.G, c.Node), c.Input(1))));
    }

    /// <summary>y = k·x. Numeric: dx += dy·k.</summary>
    public static void Scale(BpropContext c) => c.Give(0, c.Nn.Scale(c.G, c.Attributes.Scalar));

    /// <summary>y = x + k. Numeric: dx += dy.</summary>
    public static void AddScalar(BpropContext c) => c.Give(0, c.G);

    /// <summary>y = x / k. Numeric: dx += dy / k.</summary>
    public static void DivScalar(BpropContext c) => c.Give(0, c.Nn.DivScalar(c.G, c.Attributes.Scalar));

    /// <summary>y = Σ x. Numeric: dx += dy (broadcast).</summary>
    public static void Sum(BpropContext c) => c.Give(0, c.Expand(c.G, c.Shape(0)));

    /// <summary>y = Σ x / n. Numeric: dx += dy / n (broadcast).</summary>
    public static void Mean(BpropContext c)
    {
        NodeShape shape = c.Shape(0);
        c.Give(0, c.Expand(c.Nn.DivScalar(c.G, shape.Length), shape));
    }

    /// <summary>y = Σ_rows x. Numeric: each row of dx += dy.</summary>
    public static void SumRows(BpropContext c)
    {
        NodeShape shape = c.Shape(0);
        c.Give(0, shape.Rows == 1 ? c.G : c.Nn.RepeatRows(c.G, shape.Rows));
    }

    /// <summary>y = Σ_cols x. Numeric: each column of dx += dy.</summary>
    public static void SumCols(BpropContext c)
    {
        NodeShape shape = c.Shape(0);
        c.Give(0, shape.Cols == 1 ? c.G : c.Nn.RepeatCols(c.G, shape.Cols));
    }

    /// <summary>y = x repeated over rows. Numeric: dx += Σ_rows dy.</summary>
    public static void RepeatRows(BpropContext c) => c.Give(0, c.Nn.SumRows(c.G));

    /// <summary>y = x repeated over columns. Numeric: dx += Σ_cols dy.</summary>
    public static void RepeatCols(BpropContext c) => c.Give(0, c.Nn.SumCols(c.G));
}
