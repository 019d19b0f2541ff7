using EcsNeural.Demo.Arena;

namespace EcsNeural.Demo.Training;

/// <summary>Food eaten per tick over a whole run, to report the food rate over any stretch of it.</summary>
public sealed class FoodRateLog(int agents, long ticks)
{
    private readonly int[] _eaten = new int[ticks];
    private long _count;

    public void Record(int eatenThisTick) => _eaten[_count++] = eatenThisTick;

    /// <summary>Food per agent per simulated minute over ticks [fromFraction·n, toFraction·n).</summary>
    public double Rate(double fromFraction, double toFraction)
    {
        int from = (int)(fromFraction * _count), to = (int)(toFraction * _count);
        if (to <= from) throw new ArgumentException($"the stretch [{fromFraction}, {toFraction}) of {_count} ticks is empty");
        long sum = 0;
        for (int t = from; t < to; t++) sum += _eaten[t];
        return sum / (double)agents / ((to - from) / (ArenaConfig.TicksPerSecond * 60.0));
    }

    /// <summary>
    /// The first tick (1-based) at which the food rate over the <paramref name="window"/> ticks ending there reaches
    /// <paramref name="rate"/> per agent per minute, or null when it never does.
    /// </summary>
    public long? FirstTickReaching(double rate, int window)
    {
        double needed = rate * agents * window / (ArenaConfig.TicksPerSecond * 60.0);
        long sum = 0;
        for (long t = 0; t < _count; t++)
        {
            sum += _eaten[t];
            if (t >= window)
                sum -= _eaten[t - window];
            if (t + 1 >= window && sum >= needed)
                return t + 1;
        }
        return null;
    }
}
