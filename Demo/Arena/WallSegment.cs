namespace EcsNeural.Demo.Arena;

/// <summary>A wall from (X0, Y0) to (X1, Y1); walls are level geometry, fixed for the arena's life.</summary>
public readonly record struct WallSegment(float X0, float Y0, float X1, float Y1);
