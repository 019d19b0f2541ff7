using EcsNeural.Components;
using EcsNeural.Ecs;

namespace EcsNeural.Systems.Symbolic;

/// <summary>Symbolic bprops of the softmax family and the output losses (all smooth).</summary>
internal static class SoftmaxAndLossBprops
{
    /// <summary>y = softmax(z) per row. Numeric: dz += y ⊙ (dy − ⟨dy, y⟩).</summary>
    public static void Softmax(BpropContext c)
    {
        Entity dot = c.Nn.SumCols(c.Nn.Mul(c.G, c.Node));
        c.Give(0, c.Nn.Mul(c.Node, c.Nn.Sub(c.G, dot)));
    }

    /// <summary>y = logsoftmax(z) per row. Numeric: dz += dy − e^y·Σdy.</summary>
    public static void LogSoftmax(BpropContext c)
        => c.Give(0, c.Nn.Sub(c.G, c.Nn.Mul(c.Nn.Exp(c.Node), c.Nn.SumCols(c.G))));

    /// <summary>L = Σ(p − t)²/n. Numeric: dp += s·(p − t), dt −= the same, with s = 2·dL/n.</summary>
    public static void MseLoss(BpropContext c)
    {
        Entity scale = c.Nn.DivScalar(c.Nn.Scale(c.G, 2), c.Shape(0).Length);
        Entity dp = c.Nn.Mul(c.Nn.Sub(c.Input(0), c.Input(1)), scale);
        if (c.Needs(0))
            c.Give(0, dp);
        if (c.Needs(1))
            c.Give(1, c.Negate(dp));
    }

    /// <summary>L = Σ(ς(z) − y·z)/n. Numeric: dz += s·(σ(z) − y), dy −= s·z, with s = dL/n.</summary>
    public static void SigmoidCrossEntropyLoss(BpropContext c)
    {
        Entity z = c.Input(0), y = c.Input(1);
        Entity scale = c.Nn.DivScalar(c.G, c.Shape(0).Length);
        if (c.Needs(0))
            c.Give(0, c.Nn.Mul(c.Nn.Sub(c.Nn.Sigmoid(z), y), scale));
        if (c.Needs(1))
            c.Give(1, c.Negate(c.Nn.Mul(z, scale)));
    }

    /// <summary>
    /// L = −Σ y ⊙ logsoftmax(z)/rows. Numeric: dz += s·(softmax(z)·Σ_row y − y), dy −= s·logsoftmax(z), with s = dL/rows.
    /// </summary>
    public static void SoftmaxCrossEntropyLoss(BpropContext c)
    {
        NodeShape shape = c.Shape(0);
        Entity z = c.Input(0), y = c.Input(1);
        Entity scale = c.Nn.DivScalar(c.G, shape.Rows);
        Entity logP = c.Nn.LogSoftmax(z);
        if (c.Needs(0))
        {
            Entity mass = c.Nn.SumCols(y);
            c.Give(0, c.Nn.Mul(c.Nn.Sub(c.Nn.Mul(c.Nn.Exp(logP), mass), y), scale));
        }
        if (c.Needs(1))
            c.Give(1, c.Negate(c.Nn.Mul(logP, scale)));
    }

    /// <summary>L = −Σ y ⊙ log p / rows. Numeric: d(log p) −= s·y, dy −= s·log p, with s = dL/rows.</summary>
    public static void NllLoss(BpropContext c)
    {
        Entity scale = c.Nn.DivScalar(c.G, c.Shape(0).Rows);
        if (c.Needs(0))
            c.Give(0, c.Negate(c.Nn.Mul(c.Input(1), scale)));
        if (c.Needs(1))
            c.Give(1, c.Negate(c.Nn.Mul(c.Input(0), scale)));
    }
}
