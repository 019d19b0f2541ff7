using System.Numerics;
using EcsNeural.Components;

namespace EcsNeural.Systems.Ops;

/// <summary>
/// <see cref="RadialBasis"/>'s two gradients as nodes, t [batch×units] (2g), x [batch×in], centres W [in×units]:
/// <list type="bullet">
/// <item><see cref="OpCode.RadialBasisInputGradient"/>: y_bj = Σ_u t_bu (x_bj − W_ju) → [batch×in];
/// dt_bu += Σ_j G_bj (x_bj − W_ju), dx_bj += G_bj Σ_u t_bu, dW_ju −= Σ_b G_bj t_bu.</item>
/// <item><see cref="OpCode.RadialBasisCentreGradient"/>: y_ju = −Σ_b t_bu (x_bj − W_ju) → [in×units];
/// dt_bu += Σ_j G_ju (W_ju − x_bj), dx_bj −= Σ_u G_ju t_bu, dW_ju += G_ju Σ_b t_bu.</item>
/// </list>
/// The forward passes sum term by term in the order RadialBasis's backward pass does, so a symbolic gradient of a radial
/// basis layer equals its numeric one bit for bit.
/// </summary>
internal static class RadialBasisGradients
{
    public static NodeShape Shape(OpCode op, ReadOnlySpan<NodeShape> inputs)
    {
        NodeShape t = inputs[0], x = inputs[1], w = inputs[2];
        if (x.Rows != t.Rows || w.Rows != x.Cols || w.Cols != t.Cols)
            throw new InvalidShapeException($"{op} needs t [batch×units], x [batch×in], centres [in×units]; got t {t}, x {x}, centres {w}");
        return op == OpCode.RadialBasisInputGradient ? x : w;
    }

    public static void InputForward<T>(in OpContext<T> c) where T : unmanaged, IFloatingPointIeee754<T>
    {
        NodeShape ts = c.InputShape(0), xs = c.InputShape(1), ws = c.InputShape(2);
        for (int i = 0; i < c.Instances; i++)
        {
            Span<T> t = OpContext<T>.Slice(c.Input(0), i, ts.Length), x = OpContext<T>.Slice(c.Input(1), i, xs.Length);
            Span<T> w = OpContext<T>.Slice(c.Input(2), i, ws.Length), y = OpContext<T>.Slice(c.Output, i, xs.Length);
            for (int b = 0; b < xs.Rows; b++)
                for (int j = 0; j < xs.Cols; j++)
                {
                    T sum = T.Zero;
                    for (int u = 0; u < ws.Cols; u++)
                        sum += t[b * ts.Cols + u] * (x[b * xs.Cols + j] - w[j * ws.Cols + u]);
                    y[b * xs.Cols + j] = sum;
                }
        }
    }

    public static void CentreForward<T>(in OpContext<T> c) where T : unmanaged, IFloatingPointIeee754<T>
    {
        NodeShape ts = c.InputShape(0), xs = c.InputShape(1), ws = c.InputShape(2);
        for (int i = 0; i < c.Instances; i++)
        {
            Span<T> t = OpContext<T>.Slice(c.Input(0), i, ts.Length), x = OpContext<T>.Slice(c.Input(1), i, xs.Length);
            Span<T> w = OpContext<T>.Slice(c.Input(2), i, ws.Length), y = OpContext<T>.Slice(c.Output, i, ws.Length);
            for (int j = 0; j < ws.Rows; j++)
                for (int u = 0; u < ws.Cols; u++)
                {
                    T sum = T.Zero;
                    for (int b = 0; b < xs.Rows; b++)
                        sum -= t[b * ts.Cols + u] * (x[b * xs.Cols + j] - w[j * ws.Cols + u]);
                    y[j * ws.Cols + u] = sum;
                }
        }
    }

    public static void InputBackward<T>(in OpContext<T> c) where T : unmanaged, IFloatingPointIeee754<T>
        => Backward(c, sign: T.One, byInput: true);

    public static void CentreBackward<T>(in OpContext<T> c) where T : unmanaged, IFloatingPointIeee754<T>
        => Backward(c, sign: -T.One, byInput: false);

    /// <summary>Both ops' backward: y = sign·Σ t_bu (x_bj − W_ju), summed over u (byInput) or over b, with G indexed like y.</summary>
    private static void Backward<T>(in OpContext<T> c, T sign, bool byInput) where T : unmanaged, IFloatingPointIeee754<T>
    {
        NodeShape ts = c.InputShape(0), xs = c.InputShape(1), ws = c.InputShape(2), ys = c.OutputShape;
        bool needT = c.NeedsGradient(0), needX = c.NeedsGradient(1), needW = c.NeedsGradient(2);
        for (int i = 0; i < c.Instances; i++)
        {
            Span<T> t = OpContext<T>.Slice(c.Input(0), i, ts.Length), x = OpContext<T>.Slice(c.Input(1), i, xs.Length);
            Span<T> w = OpContext<T>.Slice(c.Input(2), i, ws.Length), g = OpContext<T>.Slice(c.OutputGradient, i, ys.Length);
            Span<T> dt = needT ? OpContext<T>.Slice(c.InputGradient(0), i, ts.Length) : default;
            Span<T> dx = needX ? OpContext<T>.Slice(c.InputGradient(1), i, xs.Length) : default;
            Span<T> dw = needW ? OpContext<T>.Slice(c.InputGradient(2), i, ws.Length) : default;
            for (int b = 0; b < xs.Rows; b++)
                for (int j = 0; j < xs.Cols; j++)
                    for (int u = 0; u < ws.Cols; u++)
                    {
                        T gy = sign * (byInput ? g[b * xs.Cols + j] : g[j * ws.Cols + u]);
                        T tbu = t[b * ts.Cols + u];
                        if (needT)
                            dt[b * ts.Cols + u] += gy * (x[b * xs.Cols + j] - w[j * ws.Cols + u]);
                        if (needX)
                            dx[b * xs.Cols + j] += gy * tbu;
                        if (needW)
                            dw[j * ws.Cols + u] -= gy * tbu;
                    }
        }
    }
}
