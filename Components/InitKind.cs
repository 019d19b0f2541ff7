namespace EcsNeural.Components;

/// <summary>How a parameter's values are drawn when an instance is created.</summary>
public enum InitKind : byte
{
    /// <summary>Every element equals <see cref="ParameterInit.Value"/> (e.g. 0.1 for ReLU biases, 0 for others).</summary>
    Constant,
    /// <summary>Normal with mean 0 and standard deviation <see cref="ParameterInit.Value"/>.</summary>
    Normal,
    /// <summary>Uniform on [−v, v] with v = <see cref="ParameterInit.Value"/>.</summary>
    Uniform,
    /// <summary>Xavier/Glorot uniform: limit √(6/(fanIn+fanOut)), fanIn = rows, fanOut = columns.</summary>
    XavierUniform,
    /// <summary>Xavier/Glorot normal: standard deviation √(2/(fanIn+fanOut)).</summary>
    XavierNormal,
    /// <summary>He normal: standard deviation √(2/fanIn).</summary>
    HeNormal,
    /// <summary>He uniform: limit √(6/fanIn).</summary>
    HeUniform,
}
