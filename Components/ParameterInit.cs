namespace EcsNeural.Components;

/// <summary>How a parameter node is initialised for each new instance (from the graph's seeded generator).</summary>
/// <param name="Kind">The distribution.</param>
/// <param name="Value">Its constant, standard deviation or limit (unused by Xavier and He).</param>
public readonly record struct ParameterInit(InitKind Kind, double Value = 0)
{
    /// <summary>All zeros.</summary>
    public static ParameterInit Zeros => new(InitKind.Constant, 0);
    /// <summary>All elements equal to <paramref name="value"/>.</summary>
    public static ParameterInit Constant(double value) => new(InitKind.Constant, value);
    /// <summary>Small random normal values with standard deviation <paramref name="std"/>.</summary>
    public static ParameterInit Normal(double std) => new(InitKind.Normal, std);
    /// <summary>Small random uniform values on [−<paramref name="limit"/>, <paramref name="limit"/>].</summary>
    public static ParameterInit Uniform(double limit) => new(InitKind.Uniform, limit);
    /// <summary>Xavier/Glorot uniform.</summary>
    public static ParameterInit Xavier => new(InitKind.XavierUniform);
    /// <summary>He normal (for ReLU layers).</summary>
    public static ParameterInit He => new(InitKind.HeNormal);
}
