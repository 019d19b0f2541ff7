namespace EcsNeural.Demo.Arena;

/// <summary>
/// The arena's state and its per-tick steps: sense, move by the given steering, push apart, eat, respawn food.
/// Agents are indexed by brain slot; all randomness comes from <see cref="KeyedRandom"/>.
/// </summary>
public sealed class ArenaSimulation
{
    private readonly Position[] _agentPositions;
    private readonly Position[] _movedPositions;
    private readonly Motion[] _motions;
    private readonly Sensors[] _sensors;
    private readonly Steering[] _steering;
    private readonly Forager[] _foragers;
    private readonly Position[] _food;
    private readonly FoodPellet[] _pellets;
    private readonly bool[] _eaten;
    private readonly PointGrid _agentGrid;
    private readonly float[] _observations;

    public ArenaSimulation(ArenaConfig config)
    {
        config.Validate();
        Config = config;
        Walls = new WallLayout(config.Size);
        Grid = new PointGrid(config.Size, config.SensorRange * 0.5f);
        _agentGrid = new PointGrid(config.Size, 4 * config.AgentRadius);
        int n = config.Agents;
        _agentPositions = new Position[n];
        _movedPositions = new Position[n];
        _motions = new Motion[n];
        _sensors = new Sensors[n];
        _steering = new Steering[n];
        _foragers = new Forager[n];
        _observations = new float[n * config.ObservationSize];
        for (int i = 0; i < n; i++)
        {
            _agentPositions[i] = NestPosition(config, Walls, i);
            _motions[i] = new Motion(RaySensing.WrapAngle(KeyedRandom.Unit(config.Seed, i, -2, 0) * 2 * MathF.PI), 0);
            _foragers[i] = new Forager(i);
        }
        _food = new Position[config.FoodCount];
        _pellets = new FoodPellet[config.FoodCount];
        _eaten = new bool[config.FoodCount];
        for (int f = 0; f < _food.Length; f++) _food[f] = Feeding.SpawnPosition(config, Walls, n + f, 0);
        Grid.Rebuild(_food);
    }

    /// <summary>
    /// Agents start crowded in a nest at the centre, so food must be sought out: a controller that has not
    /// learned to find it eats almost nothing, whereas one that has spreads out across the arena.
    /// </summary>
    private static Position NestPosition(ArenaConfig config, WallLayout walls, int agent)
    {
        float nestRadius = 2.5f * config.AgentRadius * MathF.Sqrt(config.Agents);
        float centre = config.Size / 2;
        for (int attempt = 0; ; attempt++)
        {
            float angle = KeyedRandom.Unit(config.Seed, agent, -1, 2 * attempt) * 2 * MathF.PI;
            float radius = nestRadius * MathF.Sqrt(KeyedRandom.Unit(config.Seed, agent, -1, 2 * attempt + 1));
            var p = new Position(centre + radius * MathF.Cos(angle), centre + radius * MathF.Sin(angle));
            if (walls.DistanceToNearest(p.X, p.Y) > 2 * config.AgentRadius) return p;
        }
    }

    public ArenaConfig Config { get; }
    public WallLayout Walls { get; }
    public PointGrid Grid { get; }
    public long Tick { get; private set; }
    public long TotalEaten { get; private set; }

    public ReadOnlySpan<Position> AgentPositions => _agentPositions;
    public ReadOnlySpan<Motion> Motions => _motions;
    public ReadOnlySpan<Sensors> Sensors => _sensors;
    public ReadOnlySpan<Forager> Foragers => _foragers;
    public ReadOnlySpan<Position> Food => _food;

    /// <summary>Count × <see cref="ArenaConfig.ObservationSize"/> readings from the last <see cref="Sense"/>.</summary>
    public ReadOnlySpan<float> Observations => _observations;

    /// <summary>Fills every agent's sensors and observation row.</summary>
    public void Sense() =>
        RaySensing.Sense(Config, Walls, Grid, _food, _agentPositions, _motions, _sensors, _observations, 0, Config.Agents);

    /// <summary>Applies one (turn, thrust) row per agent, moves everyone, lets them eat and respawns food. Returns food eaten this tick.</summary>
    public int Advance(ReadOnlySpan<float> actions)
    {
        for (int i = 0; i < _steering.Length; i++) _steering[i] = new Steering(actions[2 * i], actions[2 * i + 1]);
        Locomotion.Move(Config, Walls, _steering, _motions, _agentPositions, Tick, 0, Config.Agents);
        _agentPositions.CopyTo(_movedPositions, 0);
        _agentGrid.Rebuild(_movedPositions);
        Crowding.Separate(Config, Walls, _agentGrid, _movedPositions, _agentPositions, 0, Config.Agents);
        int eaten = Feeding.Eat(Config, Grid, _food, _eaten, _agentPositions, _foragers);
        Tick++;
        if (eaten > 0)
        {
            for (int f = 0; f < _food.Length; f++)
            {
                if (!_eaten[f]) continue;
                _eaten[f] = false;
                _pellets[f].Respawns++;
                _food[f] = Feeding.SpawnPosition(Config, Walls, Config.Agents + f, Tick);
            }
            Grid.Rebuild(_food);
        }
        TotalEaten += eaten;
        return eaten;
    }

    /// <summary>Index of the agent nearest to (x, y) within <paramref name="radius"/>, or -1.</summary>
    public int AgentNear(float x, float y, float radius)
    {
        int best = -1;
        float bestD2 = radius * radius;
        for (int i = 0; i < _agentPositions.Length; i++)
        {
            float dx = _agentPositions[i].X - x, dy = _agentPositions[i].Y - y;
            float d2 = dx * dx + dy * dy;
            if (d2 <= bestD2) { bestD2 = d2; best = i; }
        }
        return best;
    }
}
