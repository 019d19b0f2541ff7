namespace EcsNeural.Systems.Symbolic;

/// <summary>
/// What <see cref="SymbolicGradient"/> does when a derivative must pass through a piecewise-constant operation — a
/// step or sign mask, or maxout's choice of piece. These appear in the gradients of ReLU, leaky ReLU, PReLU, |x|,
/// hard tanh and maxout, so this is the question "what is ReLU's second derivative?".
/// </summary>
public enum PiecewiseDerivative
{
    /// <summary>
    /// Throw <see cref="NotTwiceDifferentiableException"/> naming the mask node and the operation whose gradient made it
    /// (the default: the derivative does not exist at the jump, so taking it is the caller's decision).
    /// </summary>
    Refuse,

    /// <summary>
    /// Take the derivative's almost-everywhere value, 0: the masks are treated as locally constant. Exact away from
    /// the kinks (where finite differences agree), the usual convention for Hessian-vector products of ReLU networks
    /// and for gradient penalties; it drops the Dirac term a kink would contribute.
    /// </summary>
    ZeroAlmostEverywhere,
}
