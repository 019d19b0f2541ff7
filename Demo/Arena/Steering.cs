namespace EcsNeural.Demo.Arena;

/// <summary>The controller's command for this tick: turn and thrust, each in [-1, 1] (the body saturates larger values).</summary>
public struct Steering(float turn, float thrust)
{
    public float Turn = turn;
    public float Thrust = thrust;
}
