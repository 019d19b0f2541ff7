using EcsNeural.Components.Agents;
using EcsNeural.Demo.Arena.Systems;
using EcsNeural.Ecs;
using EcsNeural.Ecs.Jobs;
using EcsNeural.Systems.Init;

namespace EcsNeural.Demo.Arena;

/// <summary>
/// The arena as an ECS world: every agent is an entity with <see cref="Position"/>, <see cref="Motion"/>,
/// <see cref="Sensors"/>, <see cref="Steering"/>, <see cref="Forager"/> (its stable slot in the arena) and the neural
/// module's <see cref="Observation"/> and <see cref="AgentAction"/>; every food pellet an entity with
/// <see cref="Position"/> and <see cref="FoodPellet"/>. A tick is one update of <see cref="Systems"/>: sense → (the
/// controllers the host adds: the neural module and whatever turns actions into steering) → move → separate → eat →
/// respawn → (the host's systems that read the outcome, e.g. rewards). All randomness comes from
/// <see cref="KeyedRandom"/>; order-dependent steps go by slot.
/// The per-agent steps (sensing, moving, separating) run in parallel on <see cref="Jobs"/>, in blocks of
/// <see cref="AgentBlockSize"/> rows; each agent's result depends only on its own row and on state shared from
/// before the step, so it is the same bits with any number of workers.
/// </summary>
public sealed class ArenaSimulation : IDisposable
{
    // Random keys of the spawn, kept apart from every tick's keys (ticks count up from 0).
    private const ulong HeadingKey = ulong.MaxValue - 1, NestKey = ulong.MaxValue;

    /// <summary>Every agent.</summary>
    public static readonly QueryDescription Agents = new QueryDescription().WithAll<Forager, Position, Motion, Sensors, Steering, Observation>();

    /// <summary>Every food pellet.</summary>
    public static readonly QueryDescription Food = new QueryDescription().WithAll<FoodPellet, Position>();

    /// <summary>Agents per job block: fixed, so the blocks never depend on the worker count.</summary>
    public const int AgentBlockSize = 128;

    private readonly Entity[] _agentsBySlot;

    /// <param name="config">The arena's shape and seed.</param>
    /// <param name="jobs">Runs the per-agent steps; shared with whoever else uses it (the networks), not disposed here.</param>
    /// <param name="control">
    /// Adds the host's systems to the tick's group (null: none, steering is set directly): it is called with the group
    /// holding the sensing system, and what it adds runs after sensing and before moving; <paramref name="outcome"/>'s
    /// systems run at the end of the tick, after respawning.
    /// </param>
    /// <param name="outcome">Adds the host's systems that read the tick's outcome (null: none).</param>
    public ArenaSimulation(ArenaConfig config, JobScheduler jobs, Action<ArenaSimulation, SystemGroup<long>>? control = null,
        Action<ArenaSimulation, SystemGroup<long>>? outcome = null)
    {
        ArgumentNullException.ThrowIfNull(jobs);
        config.Validate();
        Config = config;
        Jobs = jobs;
        Walls = new WallLayout(config.Size);
        int n = config.Agents;
        FoodLookup = new PointLookup(config.FoodCount, config.Size, config.SensorRange * 0.5f);
        AgentLookup = new PointLookup(n, config.Size, 4 * config.AgentRadius);
        AteBySlot = new int[n];
        _agentsBySlot = new Entity[n];
        for (int slot = 0; slot < n; slot++)
        {
            var heading = new Motion(RaySensing.WrapAngle(KeyedRandom.UniformSingle(config.Seed, (ulong)slot, HeadingKey, 0) * 2 * MathF.PI), 0);
            Entity agent = World.Create(NestPosition(config, Walls, slot), heading, new Forager(slot), new Steering(), new Sensors(),
                new Observation(new float[config.ObservationSize]), new AgentAction());
            _agentsBySlot[slot] = agent;
        }
        for (int f = 0; f < config.FoodCount; f++)
            World.Create(Feeding.SpawnPosition(config, Walls, n + f, 0), new FoodPellet(f));
        var gather = new GatherFoodPositions(FoodLookup.Points);
        World.InlineQuery<GatherFoodPositions, FoodPellet, Position>(Food, ref gather);
        FoodLookup.RebuildGrid();

        Systems = new SystemGroup<long>("Arena").Add(new SenseSystem(this));
        control?.Invoke(this, Systems);
        Systems.Add(new MoveSystem(this)).Add(new SeparateSystem(this)).Add(new EatSystem(this)).Add(new RespawnSystem(this));
        outcome?.Invoke(this, Systems);
        Systems.Initialize();
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
            float angle = KeyedRandom.UniformSingle(config.Seed, (ulong)agent, NestKey, 2 * (ulong)attempt) * 2 * MathF.PI;
            float radius = nestRadius * MathF.Sqrt(KeyedRandom.UniformSingle(config.Seed, (ulong)agent, NestKey, 2 * (ulong)attempt + 1));
            var p = new Position(centre + radius * MathF.Cos(angle), centre + radius * MathF.Sin(angle));
            if (walls.DistanceToNearest(p.X, p.Y) > 2 * config.AgentRadius) return p;
        }
    }

    public ArenaConfig Config { get; }
    public WallLayout Walls { get; }

    /// <summary>The scheduler the per-agent steps run on.</summary>
    public JobScheduler Jobs { get; }

    /// <summary>The arena's entities: agents and food pellets.</summary>
    public World World { get; } = new();

    /// <summary>The arena's systems, run once per tick by <see cref="Step"/>, with the host's (see the constructor) among them.</summary>
    public SystemGroup<long> Systems { get; }

    /// <summary>Food positions by pellet index and their grid, refreshed whenever food respawns.</summary>
    internal PointLookup FoodLookup { get; }

    /// <summary>Agent positions by slot and their grid, refreshed by the separating and eating steps.</summary>
    internal PointLookup AgentLookup { get; }

    /// <summary>Food each agent ate in the last tick, by slot.</summary>
    public int[] AteBySlot { get; }

    /// <summary>Food eaten by all agents in the last tick.</summary>
    public int EatenThisTick { get; internal set; }

    public long Tick { get; private set; }
    public long TotalEaten { get; private set; }

    /// <summary>The agent entity whose brain is slot <paramref name="slot"/>.</summary>
    public Entity AgentOf(int slot) => _agentsBySlot[slot];

    /// <summary>Runs one tick of <see cref="Systems"/>. Returns the food eaten in it.</summary>
    public int Step()
    {
        Systems.Update(Tick);
        Tick++;
        TotalEaten += EatenThisTick;
        return EatenThisTick;
    }

    /// <summary>Sets every agent's <see cref="Steering"/> from a Count × 2 (turn, thrust) matrix, row = slot.</summary>
    public void SetSteering(float[] actions)
    {
        var body = new ApplySteering(actions);
        World.InlineQuery<ApplySteering, Forager, Steering>(Agents, ref body);
    }

    /// <summary>Agent <paramref name="slot"/>'s observation of this tick (written by sensing).</summary>
    public ReadOnlySpan<float> ObservationOf(int slot) => World.Get<Observation>(_agentsBySlot[slot]).Values.AsReadOnlySpan();

    /// <summary>
    /// Runs <paramref name="step"/> for every agent, in parallel on <see cref="Jobs"/>: one parallel-for per chunk of
    /// agents in blocks of <see cref="AgentBlockSize"/> rows, waited for before returning. The chunks stay open
    /// meanwhile, so the world refuses structural changes while the jobs hold pointers into its columns.
    /// </summary>
    public void RunOnAgents<TStep>(in TStep step) where TStep : struct, IAgentStep
    {
        JobHandle all = default;
        ChunkEnumerator chunks = World.Query(Agents).GetEnumerator();
        try
        {
            while (chunks.MoveNext())
            {
                Chunk chunk = chunks.Current;
                var job = new AgentStepJob<TStep>(new AgentColumns(chunk), step);
                all = JobHandle.Combine(all, Jobs.ScheduleParallelFor(job, chunk.Count, AgentBlockSize));
            }
        }
        finally
        {
            try { Jobs.Complete(all); }   // even after a failure part-way: no job may outlive the open chunks
            finally { chunks.Dispose(); }
        }
    }

    /// <summary>Brain slot of the agent nearest to (x, y) within <paramref name="radius"/> (the lowest slot on a tie), or -1.</summary>
    public int AgentNear(float x, float y, float radius)
    {
        int best = -1;
        float bestD2 = radius * radius;
        foreach (Chunk chunk in World.Query(Agents))
        {
            Span<Forager> foragers = chunk.GetSpan<Forager>();
            Span<Position> positions = chunk.GetSpan<Position>();
            for (int i = 0; i < chunk.Count; i++)
            {
                float dx = positions[i].X - x, dy = positions[i].Y - y;
                float d2 = dx * dx + dy * dy;
                int slot = foragers[i].Slot;
                if (d2 < bestD2 || (d2 == bestD2 && (best < 0 || slot < best))) { bestD2 = d2; best = slot; }
            }
        }
        return best;
    }

    public void Dispose()
    {
        Systems.Dispose();
        World.Dispose();
    }

    private readonly struct ApplySteering(float[] actions) : IForEach<Forager, Steering>
    {
        public void Update(Entity entity, ref Forager forager, ref Steering steering)
        {
            int row = forager.Slot * ArenaConfig.ActionSize;
            steering = new Steering(actions[row], actions[row + 1]);
        }
    }
}
