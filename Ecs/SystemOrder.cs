using System.Reflection;

namespace EcsNeural.Ecs;

/// <summary>
/// Orders systems by their <see cref="UpdateBeforeAttribute"/> / <see cref="UpdateAfterAttribute"/>
/// constraints with Kahn's algorithm; among systems free to run, the earliest added goes first.
/// </summary>
internal static class SystemOrder
{
    /// <summary>Returns the indices of <paramref name="systems"/> in update order.</summary>
    /// <exception cref="InvalidOperationException">The constraints form a cycle; the message names its systems.</exception>
    public static int[] Resolve(IReadOnlyList<object> systems, IReadOnlyList<string> names, string groupName)
    {
        int n = systems.Count;
        var successors = new List<int>[n];
        var predecessors = new List<int>[n];
        for (int i = 0; i < n; i++)
        {
            successors[i] = [];
            predecessors[i] = [];
        }
        for (int i = 0; i < n; i++)
        {
            Type type = systems[i].GetType();
            foreach (UpdateBeforeAttribute before in type.GetCustomAttributes<UpdateBeforeAttribute>())
            {
                for (int j = 0; j < n; j++)
                {
                    if (j != i && Matches(before.System, systems[j])) AddEdge(i, j);
                }
            }
            foreach (UpdateAfterAttribute after in type.GetCustomAttributes<UpdateAfterAttribute>())
            {
                for (int j = 0; j < n; j++)
                {
                    if (j != i && Matches(after.System, systems[j])) AddEdge(j, i);
                }
            }
        }

        var inDegree = new int[n];
        for (int i = 0; i < n; i++) inDegree[i] = predecessors[i].Count;
        var placed = new bool[n];
        var order = new int[n];
        for (int position = 0; position < n; position++)
        {
            int next = -1;
            for (int i = 0; i < n && next < 0; i++)
            {
                if (!placed[i] && inDegree[i] == 0) next = i;
            }
            if (next < 0) throw CycleError(predecessors, placed, names, groupName);
            placed[next] = true;
            order[position] = next;
            foreach (int successor in successors[next]) inDegree[successor]--;
        }
        return order;

        void AddEdge(int from, int to)
        {
            if (successors[from].Contains(to)) return;
            successors[from].Add(to);
            predecessors[to].Add(from);
        }
    }

    /// <summary>
    /// Whether <paramref name="system"/> is of the constraint's type: derived from or implementing it, or, for an open
    /// generic definition such as <c>typeof(ForwardSystem&lt;&gt;)</c>, of any of its constructed types.
    /// </summary>
    private static bool Matches(Type constraint, object system)
    {
        if (!constraint.IsGenericTypeDefinition)
            return constraint.IsInstanceOfType(system);
        Type type = system.GetType();
        for (Type? t = type; t is not null; t = t.BaseType)
        {
            if (t.IsGenericType && t.GetGenericTypeDefinition() == constraint) return true;
        }
        return type.GetInterfaces().Any(i => i.IsGenericType && i.GetGenericTypeDefinition() == constraint);
    }

    /// <summary>
    /// Every unplaced system still has an unplaced predecessor, so walking predecessors from any of
    /// them must revisit a system; the walk from that first revisit is a cycle.
    /// </summary>
    private static InvalidOperationException CycleError(List<int>[] predecessors, bool[] placed, IReadOnlyList<string> names, string groupName)
    {
        var walk = new List<int>();
        int current = Array.IndexOf(placed, false);
        while (!walk.Contains(current))
        {
            walk.Add(current);
            current = predecessors[current].Where(p => !placed[p]).Min();
        }
        List<int> cycle = walk.GetRange(walk.IndexOf(current), walk.Count - walk.IndexOf(current));
        cycle.Reverse(); // the walk followed predecessors; report in update-order direction
        cycle.Add(cycle[0]);
        return new InvalidOperationException(
            $"System group '{groupName}' cannot be ordered: the UpdateBefore/UpdateAfter constraints form a cycle " +
            $"{string.Join(" -> ", cycle.Select(i => names[i]))}.");
    }
}
