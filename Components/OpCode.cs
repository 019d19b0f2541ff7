namespace EcsNeural.Components;

/// <summary>The operation a graph node computes. Each code has one implementation file in <c>Systems/Ops</c>.</summary>
public enum OpCode : byte
{
    /// <summary>Data fed by the host each step (features, targets); no inputs.</summary>
    Input,
    /// <summary>A trainable tensor (weights, biases, PReLU slopes); no inputs.</summary>
    Parameter,
    /// <summary>Affine layer <c>y = x·W + b</c>: x [batch×in], W [in×out], b [1×out].</summary>
    Dense,
    /// <summary>Matrix product <c>A·B</c>: A [m×k], B [k×n].</summary>
    MatMul,
    /// <summary><c>a + b</c>; b may broadcast (same shape, one row, one column or one element).</summary>
    Add,
    /// <summary><c>a − b</c>; b may broadcast like <see cref="Add"/>.</summary>
    Sub,
    /// <summary>Element-wise <c>a ⊙ b</c>; b may broadcast like <see cref="Add"/>.</summary>
    Mul,
    /// <summary><c>c·x</c> for the constant c in <see cref="Node.Scalar"/>.</summary>
    Scale,
    /// <summary><c>x + c</c> for the constant c in <see cref="Node.Scalar"/>.</summary>
    AddScalar,
    /// <summary>Element-wise <c>eˣ</c>.</summary>
    Exp,
    /// <summary>Element-wise natural logarithm.</summary>
    Log,
    /// <summary>Element-wise sine (also the "sin" hidden unit).</summary>
    Sin,
    /// <summary>Element-wise cosine.</summary>
    Cos,
    /// <summary>Element-wise <c>x²</c>.</summary>
    Square,
    /// <summary>Sum of all elements, a [1×1] result.</summary>
    Sum,
    /// <summary>Mean of all elements, a [1×1] result.</summary>
    Mean,
    /// <summary>Rectified linear unit <c>max(0, x)</c>.</summary>
    Relu,
    /// <summary>Leaky ReLU with the fixed slope α in <see cref="Node.Scalar"/>.</summary>
    LeakyRelu,
    /// <summary>Parametric ReLU: second input is a learned slope per unit, [1×features].</summary>
    PRelu,
    /// <summary>Absolute-value rectification <c>|x|</c>.</summary>
    AbsRelu,
    /// <summary>Maxout: the maximum over each group of k consecutive features (k in <see cref="Node.Pieces"/>).</summary>
    Maxout,
    /// <summary>Logistic sigmoid <c>1/(1+e⁻ˣ)</c>.</summary>
    Sigmoid,
    /// <summary>Hyperbolic tangent.</summary>
    Tanh,
    /// <summary>Softplus <c>log(1+eˣ)</c>, computed without overflow.</summary>
    Softplus,
    /// <summary>Hard tanh <c>max(−1, min(1, x))</c>.</summary>
    HardTanh,
    /// <summary>Gaussian radial basis <c>exp(−‖W:,i − x‖²/σ²)</c>: x [batch×in], W [in×units], σ in <see cref="Node.Scalar"/>.</summary>
    RadialBasis,
    /// <summary>Row-wise softmax.</summary>
    Softmax,
    /// <summary>Row-wise log-softmax <c>z − max z − log Σ e^(z − max z)</c>.</summary>
    LogSoftmax,
    /// <summary>Mean squared error over all elements of (prediction, target), a [1×1] result.</summary>
    MseLoss,
    /// <summary>Sigmoid output with binary cross-entropy in the softplus form ς((1−2y)z), mean over elements of (logits, target).</summary>
    SigmoidCrossEntropyLoss,
    /// <summary>Softmax output with cross-entropy through log-softmax, mean over rows of (logits, target distribution).</summary>
    SoftmaxCrossEntropyLoss,
    /// <summary>Negative log-likelihood of (log-probabilities, target distribution), mean over rows.</summary>
    NllLoss,
    /// <summary>Element-wise <c>a / b</c> of two equally shaped operands.</summary>
    Div,
    /// <summary><c>x / c</c> for the non-zero constant c in <see cref="Node.Scalar"/> (divides, so <c>x/n</c> keeps its bits).</summary>
    DivScalar,
    /// <summary>Sum over the rows: [rows×cols] → [1×cols] (the adjoint of broadcasting a row).</summary>
    SumRows,
    /// <summary>Sum over the columns: [rows×cols] → [rows×1] (the adjoint of broadcasting a column).</summary>
    SumCols,
    /// <summary>Repeats a [1×cols] row <see cref="Node.Pieces"/> times: → [Pieces×cols].</summary>
    RepeatRows,
    /// <summary>Repeats a [rows×1] column <see cref="Node.Pieces"/> times: → [rows×Pieces].</summary>
    RepeatCols,
    /// <summary>Transposed-left product <c>Aᵀ·B</c>: A [k×m], B [k×n] → [m×n].</summary>
    MatMulTransposeA,
    /// <summary>Transposed-right product <c>A·Bᵀ</c>: A [m×k], B [n×k] → [m×n].</summary>
    MatMulTransposeB,
    /// <summary>Step mask <c>x &gt; 0 ? 1 : α</c> with α in <see cref="Node.Scalar"/> (the derivative of ReLU and leaky ReLU); its own derivative is 0 almost everywhere.</summary>
    Step,
    /// <summary>Element-wise sign −1, 0 or 1 (the derivative of |x|); its own derivative is 0 almost everywhere.</summary>
    Sign,
    /// <summary>Maxout's gradient routing: values [batch×units] placed at the first maximal piece of each group of the selector [batch×units·k] (k in <see cref="Node.Pieces"/>), zeros elsewhere.</summary>
    MaxoutScatter,
    /// <summary>Maxout's selection: from values [batch×units·k], the element at the first maximal piece of each group of the equally shaped selector → [batch×units].</summary>
    MaxoutGather,
    /// <summary>A constant: the constant <see cref="Node.Scalar"/> in the shape of its input (whose value is not read).</summary>
    Fill,
    /// <summary>A constant: 1 at the flat element <see cref="Node.Pieces"/> of each instance, 0 elsewhere, in the shape of its input.</summary>
    OneHot,
    /// <summary>Inner product <c>Σ a ⊙ b</c> over all elements of two equally shaped operands, a [1×1] result (the <c>∇f · v</c> of a Hessian-vector product).</summary>
    Dot,
    /// <summary>
    /// Dense's input gradient <c>dy·Wᵀ</c>: dy [batch×out], W [in×out] → [batch×in], computed by the very kernels Dense's
    /// backward pass uses (so a symbolic gradient equals the numeric one bit for bit); mathematically a <see cref="MatMulTransposeB"/>.
    /// </summary>
    DenseInputGradient,
    /// <summary>
    /// Dense's weight gradient <c>xᵀ·dy</c>: x [batch×in], dy [batch×out] → [in×out], computed by the very kernels Dense's
    /// backward pass uses (so a symbolic gradient equals the numeric one bit for bit); mathematically a <see cref="MatMulTransposeA"/>.
    /// </summary>
    DenseWeightGradient,
    /// <summary>
    /// A radial basis contraction <c>y = s·Σ_k a·(x_bj − W_ju)</c> over the index the result lacks: a, x [batch×in],
    /// W [in×units]; the operands' roles are a <see cref="RadialBasisIndexing"/> in <see cref="Node.Pieces"/>, s = ±1 is
    /// <see cref="Node.Scalar"/>. A radial basis layer's dx and dW, summed in the order its backward pass sums them.
    /// </summary>
    RadialBasisDifference,
    /// <summary>
    /// A radial basis contraction <c>y = s·Σ_k a·c</c> over the index the result lacks, indexed as the
    /// <see cref="RadialBasisIndexing"/> in <see cref="Node.Pieces"/> says, s = ±1 in <see cref="Node.Scalar"/>: the
    /// derivatives of <see cref="RadialBasisDifference"/> and of itself, summed term by term as their backward passes sum them.
    /// </summary>
    RadialBasisProduct,
}
