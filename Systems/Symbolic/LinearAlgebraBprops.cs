using EcsNeural.Ecs;

namespace EcsNeural.Systems.Symbolic;

/// <summary>Symbolic bprops of the products: Dense, MatMul and its transposed forms, and radial basis units.</summary>
internal static class LinearAlgebraBprops
{
    /// <summary>
    /// y = x·W + b. Numeric: dx += dy·Wᵀ, dW += xᵀ·dy, db += Σ_batch dy. dx and dW are DenseInputGradient and
    /// DenseWeightGradient nodes, which run Dense's own small-batch row kernels (lane-summed dot products, fused
    /// multiply-adds) where a plain GEMM would round differently.
    /// </summary>
    public static void Dense(BpropContext c)
    {
        if (c.Needs(0))
            c.Give(0, c.Nn.DenseInputGradient(c.G, c.Input(1)));
        if (c.Needs(1))
            c.Give(1, c.Nn.DenseWeightGradient(c.Input(0), c.G));
        if (c.Needs(2))
            c.Give(2, c.ReduceTo(c.G, c.Shape(2)));
    }

    /// <summary>C = A·B. Numeric: dA += dC·Bᵀ, dB += Aᵀ·dC.</summary>
    public static void MatMul(BpropContext c)
    {
        if (c.Needs(0))
            c.Give(0, c.Nn.MatMulTransposeB(c.G, c.Input(1)));
        if (c.Needs(1))
            c.Give(1, c.Nn.MatMulTransposeA(c.Input(0), c.G));
    }

    /// <summary>C = Aᵀ·B (and DenseWeightGradient, the same product). Numeric: dA += B·dCᵀ, dB += A·dC.</summary>
    public static void MatMulTransposeA(BpropContext c)
    {
        if (c.Needs(0))
            c.Give(0, c.Nn.MatMulTransposeB(c.Input(1), c.G));
        if (c.Needs(1))
            c.Give(1, c.Nn.MatMul(c.Input(0), c.G));
    }

    /// <summary>C = A·Bᵀ (and DenseInputGradient, the same product). Numeric: dA += dC·B, dB += dCᵀ·A.</summary>
    public static void MatMulTransposeB(BpropContext c)
    {
        if (c.Needs(0))
            c.Give(0, c.Nn.MatMul(c.G, c.Input(1)));
        if (c.Needs(1))
            c.Give(1, c.Nn.MatMulTransposeA(c.G, c.Input(0)));
    }

    /// <summary>
    /// h = exp(−‖W:,u − x‖²/σ²). Numeric, with 2g = (−2/σ²)·dy·h: dx_bj += Σ_u 2g_bu (x_bj − W_ju),
    /// dW_ju −= Σ_b 2g_bu (x_bj − W_ju), summed in that order by the RadialBasisInputGradient/CentreGradient nodes.
    /// </summary>
    public static void RadialBasis(BpropContext c)
    {
        double sigma = c.Attributes.Scalar;
        Entity x = c.Input(0), w = c.Input(1);
        Entity twoG = c.Nn.Mul(c.Nn.Scale(c.G, -2.0 / (sigma * sigma)), c.Node);
        if (c.Needs(0))
            c.Give(0, c.Nn.RadialBasisInputGradient(twoG, x, w));
        if (c.Needs(1))
            c.Give(1, c.Nn.RadialBasisCentreGradient(twoG, x, w));
    }

    /// <summary>y_bj = Σ_u t_bu (x_bj − W_ju). dt = Σ_j G_bj x_bj − G·W, dx = G ⊙ Σ_u t, dW = −Gᵀ·t.</summary>
    public static void RadialBasisInputGradient(BpropContext c)
    {
        Entity t = c.Input(0), x = c.Input(1), w = c.Input(2);
        if (c.Needs(0))
            c.Give(0, c.Nn.Add(c.Negate(c.Nn.MatMul(c.G, w)), c.Nn.SumCols(c.Nn.Mul(c.G, x))));
        if (c.Needs(1))
            c.Give(1, c.Nn.Mul(c.G, c.Nn.SumCols(t)));
        if (c.Needs(2))
            c.Give(2, c.Negate(c.Nn.MatMulTransposeA(c.G, t)));
    }

    /// <summary>y_ju = Σ_b t_bu (W_ju − x_bj). dt = Σ_j G_ju W_ju − x·G, dx = −t·Gᵀ, dW = G ⊙ Σ_b t.</summary>
    public static void RadialBasisCentreGradient(BpropContext c)
    {
        Entity t = c.Input(0), x = c.Input(1), w = c.Input(2);
        if (c.Needs(0))
            c.Give(0, c.Nn.Add(c.Negate(c.Nn.MatMul(x, c.G)), c.Nn.SumRows(c.Nn.Mul(c.G, w))));
        if (c.Needs(1))
            c.Give(1, c.Negate(c.Nn.MatMulTransposeB(t, c.G)));
        if (c.Needs(2))
            c.Give(2, c.Nn.Mul(c.G, c.Nn.SumRows(t)));
    }
}
