namespace EcsNeural.Demo.Windowed;

/// <summary>
/// The simulation speed, as steps on a ladder: 1/8 … 16 ticks per drawn frame, then "as fast as
/// possible" (run ticks for most of each frame's time and draw only the last one).
/// </summary>
public struct SpeedSetting
{
    private const int Slowest = -3, Fastest = 4;   // 2^-3 … 2^4 ticks per frame
    private int _level;                             // Fastest + 1 = as fast as possible
    private int _frame;

    public readonly bool AsFastAsPossible => _level > Fastest;

    public void Faster() => _level = Math.Min(_level + 1, Fastest + 1);
    public void Slower() => _level = Math.Max(_level - 1, Slowest);

    /// <summary>Ticks to run in this frame for the fixed speeds (slow speeds run one tick every few frames).</summary>
    public int TicksThisFrame()
    {
        if (_level >= 0) return 1 << _level;
        return ++_frame % (1 << -_level) == 0 ? 1 : 0;
    }

    public readonly string Label => AsFastAsPossible ? "max" : _level >= 0 ? $"{1 << _level}" : $"1/{1 << -_level}";
}
