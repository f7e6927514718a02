namespace ContinuityOfCare.Continuity;

/// <summary>
/// Disclosure control for a two-way table (DOMAIN.md, "Disclosure control"): the cells, the row and column totals
/// (margins) and the grand total, so that no hidden number can be worked out from the ones shown.
/// <para>
/// The table is read as an extended grid, (rows + 1) x (columns + 1): the last column holds the row totals, the last
/// row the column totals, the corner the grand total. Every line of it (a row or a column, total included) is an
/// equation: its cells add up to its total.
/// </para>
/// <list type="number">
/// <item>Primary: every entry with 1 to threshold - 1 releases is hidden. Zeros are shown: they reveal nothing.</item>
/// <item>A line with exactly one hidden entry would give it away by subtraction, so the smallest shown non-zero
/// entry of that line is hidden too (cells before totals, then by position).</item>
/// <item>Two hidden entries per line is not always enough: hidden entries joined only through one of them (two
/// separate groups of hidden cells linked by a single cell) still give that one away, by adding up the lines of
/// one group. An entry is safe exactly when it lies on a cycle of hidden entries (alternately along a row and a
/// column); for one that does not, the smallest shown non-zero entry of its row is hidden as well.</item>
/// </list>
/// Steps 2 and 3 repeat until nothing changes. Each round hides at least one more entry, so it ends; hiding every
/// non-zero entry is always safe, so where it ends is safe. Each table is protected on its own (see the README).
/// </summary>
public static class TwoWayDisclosure
{
    /// <summary>
    /// Which entries of the extended grid of <paramref name="cells"/> (rows x columns) to hide: [row, column], with
    /// index rows (the column totals) and columns (the row totals).
    /// </summary>
    public static bool[,] Suppressed(int[,] cells, int threshold)
    {
        var grid = Extend(cells);
        int rows = grid.GetLength(0), columns = grid.GetLength(1);
        var hidden = new bool[rows, columns];
        for (var r = 0; r < rows; r++)
        {
            for (var c = 0; c < columns; c++)
            {
                hidden[r, c] = Disclosure.IsSmall(grid[r, c], threshold);
            }
        }

        while (HideForLoneEntries(grid, hidden) || HideForUnlinkedEntry(grid, hidden))
        {
        }

        return hidden;
    }

    /// <summary>
    /// The cells with their row totals as a last column, column totals as a last row, and the total.
    /// </summary>
    public static int[,] Extend(int[,] cells)
    {
        int rows = cells.GetLength(0), columns = cells.GetLength(1);
        var grid = new int[rows + 1, columns + 1];
        for (var r = 0; r < rows; r++)
        {
            for (var c = 0; c < columns; c++)
            {
                grid[r, c] = cells[r, c];
                grid[r, columns] += cells[r, c];
                grid[rows, c] += cells[r, c];
                grid[rows, columns] += cells[r, c];
            }
        }

        return grid;
    }

    /// <summary>Every line (row or column of the extended grid) as its entries' positions.</summary>
    public static IEnumerable<IReadOnlyList<(int Row, int Column)>> Lines(int rows, int columns) =>
        Enumerable.Range(0, rows)
            .Select(r => (IReadOnlyList<(int, int)>)Enumerable.Range(0, columns).Select(c => (r, c)).ToList())
            .Concat(Enumerable.Range(0, columns)
                .Select(c => (IReadOnlyList<(int, int)>)Enumerable.Range(0, rows).Select(r => (r, c)).ToList()));

    private static bool HideForLoneEntries(int[,] grid, bool[,] hidden)
    {
        var changed = false;
        foreach (var line in Lines(grid.GetLength(0), grid.GetLength(1)))
        {
            if (line.Count(p => hidden[p.Row, p.Column]) == 1 && Smallest(grid, hidden, line) is { } next)
            {
                hidden[next.Row, next.Column] = true;
                changed = true;
            }
        }

        return changed;
    }

    /// <summary>
    /// Hidden entries are the edges of a graph between lines (row r to column c); an entry is worked out exactly
    /// when its edge is a bridge, on no cycle. One is fixed per round, then the line rule runs again.
    /// </summary>
    private static bool HideForUnlinkedEntry(int[,] grid, bool[,] hidden)
    {
        int rows = grid.GetLength(0), columns = grid.GetLength(1);
        var unlinked = false;
        for (var r = 0; r < rows; r++)
        {
            for (var c = 0; c < columns; c++)
            {
                if (hidden[r, c] && !Linked(hidden, r, c))
                {
                    unlinked = true;
                    var row = Enumerable.Range(0, columns).Where(x => x != c).Select(x => (r, x)).ToList();
                    var column = Enumerable.Range(0, rows).Where(x => x != r).Select(x => (x, c)).ToList();
                    if ((Smallest(grid, hidden, row) ?? Smallest(grid, hidden, column)) is { } next)
                    {
                        hidden[next.Row, next.Column] = true;
                        return true;
                    }
                }
            }
        }

        // Nothing left to hide beside it: hide the smallest shown entry anywhere (all hidden is safe, so this ends).
        var anywhere = Enumerable.Range(0, rows).SelectMany(r => Enumerable.Range(0, columns).Select(c => (r, c)));
        if (unlinked && Smallest(grid, hidden, anywhere) is { } last)
        {
            hidden[last.Row, last.Column] = true;
            return true;
        }

        return false;
    }

    /// <summary>Whether the row reaches the column other than through their own entry.</summary>
    private static bool Linked(bool[,] hidden, int row, int column)
    {
        int rows = hidden.GetLength(0), columns = hidden.GetLength(1);
        var seenRows = new bool[rows];
        var seenColumns = new bool[columns];
        var queue = new Queue<(bool IsRow, int Index)>();
        queue.Enqueue((true, row));
        seenRows[row] = true;
        while (queue.TryDequeue(out var line))
        {
            var count = line.IsRow ? columns : rows;
            for (var other = 0; other < count; other++)
            {
                var (r, c) = line.IsRow ? (line.Index, other) : (other, line.Index);
                if (!hidden[r, c] || (r == row && c == column))
                {
                    continue;
                }

                if (line.IsRow && !seenColumns[c])
                {
                    if (c == column)
                    {
                        return true;
                    }

                    seenColumns[c] = true;
                    queue.Enqueue((false, c));
                }
                else if (!line.IsRow && !seenRows[r])
                {
                    seenRows[r] = true;
                    queue.Enqueue((true, r));
                }
            }
        }

        return false;
    }

    /// <summary>The smallest shown non-zero entry of a line: cells before totals, then by position.</summary>
    private static (int Row, int Column)? Smallest(
        int[,] grid, bool[,] hidden, IEnumerable<(int Row, int Column)> line)
    {
        int rows = grid.GetLength(0) - 1, columns = grid.GetLength(1) - 1;
        return line
            .Where(p => !hidden[p.Row, p.Column] && grid[p.Row, p.Column] > 0)
            .OrderBy(p => grid[p.Row, p.Column])
            .ThenBy(p => p.Row == rows || p.Column == columns)
            .ThenBy(p => p.Row)
            .ThenBy(p => p.Column)
            .Select(p => ((int, int)?)p)
            .FirstOrDefault();
    }
}
