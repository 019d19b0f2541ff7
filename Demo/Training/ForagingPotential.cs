using EcsNeural.Demo.Arena;
using EcsNeural.Ecs;
using EcsNeural.Ecs.Jobs;

namespace EcsNeural.Demo.Training;

/// <summary>
/// The potential the reward signal is shaped with: how well placed each agent is for its next meal — the best
/// pellet it could see, scored closeness × facing, (1 − d / range) · (1 + cos θ) / 2 over the pellets within
/// sensor range and the field of view and not behind a wall (θ the pellet's bearing from the heading). 1 with a
/// pellet dead ahead at the mouth, 0 with none in view. It is read from the arena's state rather than from the
/// agent's rays, whose readings jump as a pellet crosses from one ray to the next and would drown the small change
/// one tick's action makes.
/// </summary>
public sealed class ForagingPotential(ArenaSimulation arena)
{
    private readonly float[] _headings = new float[arena.Config.Agents];

    /// <summary>
    /// Writes every agent's potential into <paramref name="potentials"/> (by slot) for the arena as it is now,
    /// in parallel on the arena's jobs: each slot reads the shared lookups and writes its own entry.
    /// </summary>
    public void Measure(float[] potentials)
    {
        ArenaConfig config = arena.Config;
        if (potentials.Length != config.Agents)
            throw new ArgumentException($"potentials hold {potentials.Length} values; the arena has {config.Agents} agents", nameof(potentials));
        var gather = new GatherHeadings(_headings);
        arena.World.InlineQuery<GatherHeadings, Forager, Motion>(ArenaSimulation.Agents, ref gather);
        arena.Jobs.Complete(arena.Jobs.ScheduleParallelFor(new MeasureJob(this, arena.AgentLookup.Points, _headings, potentials), potentials.Length, ArenaSimulation.AgentBlockSize));
    }

    private float Of(Position p, float heading)
    {
        ArenaConfig config = arena.Config;
        PointLookup food = arena.FoodLookup;
        float range = config.SensorRange, minCos = MathF.Cos(config.FieldOfView);
        float hx = MathF.Cos(heading), hy = MathF.Sin(heading);
        float best = 0;
        int x0 = food.Grid.CellCoordinate(p.X - range), x1 = food.Grid.CellCoordinate(p.X + range);
        int y0 = food.Grid.CellCoordinate(p.Y - range), y1 = food.Grid.CellCoordinate(p.Y + range);
        for (int cy = y0; cy <= y1; cy++)
        for (int cx = x0; cx <= x1; cx++)
        foreach (int f in food.Grid.Cell(cx, cy))
        {
            float dx = food.Points[f].X - p.X, dy = food.Points[f].Y - p.Y;
            float d = MathF.Sqrt(dx * dx + dy * dy);
            if (d >= range || d == 0) continue;
            float cos = (dx * hx + dy * hy) / d;
            if (cos < minCos) continue;
            float score = (1 - d / range) * (1 + cos) / 2;
            // the wall test last and only for a pellet that would win: it is the expensive part
            if (score > best && arena.Walls.CastRay(p.X, p.Y, dx / d, dy / d, d) >= d) best = score;
        }
        return best;
    }

    private readonly struct MeasureJob(ForagingPotential potential, Position[] positions, float[] headings, float[] potentials) : IJobParallelFor
    {
        public void Execute(int blockIndex, int start, int end)
        {
            for (int slot = start; slot < end; slot++)
                potentials[slot] = potential.Of(positions[slot], headings[slot]);
        }
    }

    private readonly struct GatherHeadings(float[] bySlot) : IForEach<Forager, Motion>
    {
        public void Update(Entity entity, ref Forager forager, ref Motion motion) => bySlot[forager.Slot] = motion.Heading;
    }
}
