using System.Runtime.CompilerServices;

namespace EcsNeural.Demo.Arena;

/// <summary>One reading per ray, stored inline so <see cref="Sensors"/> stays an unmanaged component.</summary>
[InlineArray(Capacity)]
public struct RayReadings
{
    /// <summary>Most rays an agent can have.</summary>
    public const int Capacity = 16;

    private float _first;
}
