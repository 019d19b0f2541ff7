using EcsNeural.Components;
using EcsNeural.Ecs;
using EcsNeural.Systems.Ops;

namespace EcsNeural.Systems.Symbolic;

/// <summary>Symbolic bprops of the products: Dense, MatMul and its transposed forms, and radial basis units and their contractions.</summary>
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
    /// dW_ju −= Σ_b 2g_bu (x_bj − W_ju): two RadialBasisDifference nodes, summing those terms in that order.
    /// </summary>
    public static void RadialBasis(BpropContext c)
    {
        double sigma = c.Attributes.Scalar;
        Entity x = c.Input(0), w = c.Input(1);
        Entity twoG = c.Nn.Mul(c.Nn.Scale(c.G, -2.0 / (sigma * sigma)), c.Node);
        if (c.Needs(0))
            c.Give(0, c.Nn.RadialBasisDifference(twoG, RadialBasisOperand.Units, x, w, RadialBasisOperand.Input));
        if (c.Needs(1))
            c.Give(1, c.Nn.RadialBasisDifference(twoG, RadialBasisOperand.Units, x, w, RadialBasisOperand.Centres, negate: true));
    }

    /// <summary>y = s·Σ a·(x − W) as Out. Numeric: da += s·Σ G·(x − W), dx += s·Σ_u G·a, dW −= s·Σ_b G·a.</summary>
    public static void RadialBasisDifference(BpropContext c)
    {
        (RadialBasisIndexing form, bool negate, RadialBasisExtents e) = Contraction(c);
        Entity a = c.Input(0), x = c.Input(1), w = c.Input(2);
        int missing = e.Missing(form.Output, form.First);
        if (c.Needs(0))
            c.Give(0, c.Nn.RadialBasisDifference(c.G, form.Output, x, w, form.First, negate));
        if (c.Needs(1))
            c.Give(1, c.Nn.RadialBasisProduct(c.G, form.Output, a, form.First, RadialBasisOperand.Input, negate, missing));
        if (c.Needs(2))
            c.Give(2, c.Nn.RadialBasisProduct(c.G, form.Output, a, form.First, RadialBasisOperand.Centres, !negate, missing));
    }

    /// <summary>y = s·Σ a·b as Out. Numeric: da += s·Σ G·b, db += s·Σ G·a.</summary>
    public static void RadialBasisProduct(BpropContext c)
    {
        (RadialBasisIndexing form, bool negate, RadialBasisExtents e) = Contraction(c);
        Entity a = c.Input(0), b = c.Input(1);
        if (c.Needs(0))
            c.Give(0, c.Nn.RadialBasisProduct(c.G, form.Output, b, form.Second, form.First, negate, e.Missing(form.Output, form.Second)));
        if (c.Needs(1))
            c.Give(1, c.Nn.RadialBasisProduct(c.G, form.Output, a, form.First, form.Second, negate, e.Missing(form.Output, form.First)));
    }

    /// <summary>The contraction node's form, sign and index extents.</summary>
    private static (RadialBasisIndexing Form, bool Negate, RadialBasisExtents Extents) Contraction(BpropContext c)
    {
        RadialBasisIndexing form = RadialBasisIndexing.Unpack(c.Attributes.Pieces);
        Span<NodeShape> inputs = [c.Shape(0), c.Shape(1), c.Attributes.Op == OpCode.RadialBasisDifference ? c.Shape(2) : default];
        return (form, c.Attributes.Scalar < 0, RadialBasisExtents.Of(c.Attributes.Op, form, inputs));
    }
}
