namespace EcsNeural.Demo.Arena;

/// <summary>
/// A uniform grid over the arena listing which points (food pellets, agents) lie in each cell, rebuilt with a counting
/// sort after they move, so sensing, eating and crowding look only at nearby points instead of all of them.
/// </summary>
public sealed class PointGrid
{
    private readonly int[] _cellStart;   // cell c's pellets are _items[_cellStart[c] .. _cellStart[c+1])
    private readonly int[] _cursor;
    private int[] _items = [];

    public PointGrid(float arenaSize, float cellSize)
    {
        CellSize = cellSize;
        Columns = Math.Max(1, (int)MathF.Ceiling(arenaSize / cellSize));
        _cellStart = new int[Columns * Columns + 1];
        _cursor = new int[_cellStart.Length];
    }

    public float CellSize { get; }
    public int Columns { get; }

    /// <summary>Sorts point indices into cells; indices stay ascending inside a cell, so scans are deterministic.</summary>
    public void Rebuild(ReadOnlySpan<Position> points)
    {
        if (_items.Length != points.Length) _items = new int[points.Length];
        Array.Clear(_cellStart);
        foreach (ref readonly Position p in points) _cellStart[CellOf(p) + 1]++;
        for (int c = 1; c < _cellStart.Length; c++) _cellStart[c] += _cellStart[c - 1];
        _cellStart.CopyTo(_cursor, 0);
        for (int i = 0; i < points.Length; i++) _items[_cursor[CellOf(points[i])]++] = i;
    }

    /// <summary>Point indices in cell (cx, cy); empty outside the grid.</summary>
    public ReadOnlySpan<int> Cell(int cx, int cy)
    {
        if ((uint)cx >= (uint)Columns || (uint)cy >= (uint)Columns) return [];
        int c = cy * Columns + cx;
        return _items.AsSpan(_cellStart[c], _cellStart[c + 1] - _cellStart[c]);
    }

    public int CellCoordinate(float v) => Math.Clamp((int)(v / CellSize), 0, Columns - 1);

    private int CellOf(in Position p) => CellCoordinate(p.Y) * Columns + CellCoordinate(p.X);
}
