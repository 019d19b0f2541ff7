using EcsNeural.Demo.Arena;

namespace EcsNeural.Demo.Brains;

/// <summary>The controller network every agent gets: observations → 32 → 32 (tanh) → turn, thrust (linear).</summary>
public static class ControllerShape
{
    public const int Hidden = 32;

    /// <summary>Layer widths for the given arena, inputs first.</summary>
    public static int[] LayerSizes(ArenaConfig config) => [config.ObservationSize, Hidden, Hidden, ArenaConfig.ActionSize];
}
