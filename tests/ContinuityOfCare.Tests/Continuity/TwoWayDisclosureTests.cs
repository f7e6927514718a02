using ContinuityOfCare.Continuity;
using FsCheck.Xunit;

namespace ContinuityOfCare.Tests.Continuity;

/// <summary>
/// Disclosure control of two-way tables: no hidden entry (cell, row or column total, grand total) can be worked out
/// from the shown ones, checked by linear algebra rather than by restating the rule, exhaustively on small grids and
/// on generated ones.
/// </summary>
public class TwoWayDisclosureTests
{
    private const int Threshold = 5;

    [Fact]
    public void A_small_cell_takes_the_next_smallest_of_its_row_and_their_columns_follow()
    {
        //          c0   c1   c2 | total
        // LEI       3   10   12 |   25
        // WYI       8    7    9 |   24
        // total    11   17   21 |   49
        // 3 is small; its row's next smallest is 10; column c0 then has only 3 hidden, so 8; column c1, so 7.
        var hidden = TwoWayDisclosure.Suppressed(new[,] { { 3, 10, 12 }, { 8, 7, 9 } }, Threshold);
        Assert.Equal([(0, 0), (0, 1), (1, 0), (1, 1)], Hidden(hidden));
    }

    [Fact]
    public void Small_totals_are_hidden_with_their_cells_and_zeros_are_shown()
    {
        //          c0   c1 | total
        // LEI       2    0 |    2
        // WYI      30   40 |   70
        // total    32   40 |   72
        var hidden = TwoWayDisclosure.Suppressed(new[,] { { 2, 0 }, { 30, 40 } }, Threshold);
        Assert.True(hidden[0, 0] && hidden[0, 2]); // the cell and its row total: two in that row
        Assert.False(hidden[0, 1]);
        Assert.True(Safe(new[,] { { 2, 0 }, { 30, 40 } }, hidden));
    }

    [Fact]
    public void A_threshold_of_one_hides_nothing() =>
        Assert.Empty(Hidden(TwoWayDisclosure.Suppressed(new[,] { { 1, 2 }, { 3, 4 } }, 1)));

    public static TheoryData<int, int, int[]> Grids => new()
    {
        { 1, 3, [0, 1, 5, 9] },
        { 2, 2, [0, 1, 3, 5, 8] },
        { 2, 3, [0, 2, 6] },
        { 3, 2, [0, 4, 5] },
        { 3, 3, [0, 1, 7] },
    };

    /// <summary>Every grid of the given shape with entries from the given values.</summary>
    [Theory]
    [MemberData(nameof(Grids))]
    public void Exhaustively_no_hidden_entry_can_be_worked_out(int rows, int columns, int[] values)
    {
        var count = (int)Math.Pow(values.Length, rows * columns);
        for (var n = 0; n < count; n++)
        {
            var cells = new int[rows, columns];
            for (int i = 0, rest = n; i < rows * columns; i++, rest /= values.Length)
            {
                cells[i / columns, i % columns] = values[rest % values.Length];
            }

            var hidden = TwoWayDisclosure.Suppressed(cells, Threshold);
            Assert.True(PrimaryHidden(cells, hidden), Describe(cells));
            Assert.True(NoLineGivesOneAway(cells, hidden), Describe(cells));
            Assert.True(Safe(cells, hidden), Describe(cells));
        }
    }

    [Property(MaxTest = 300)]
    public bool On_generated_grids_no_line_or_combination_of_lines_reveals_a_hidden_entry(byte[] seed, byte shape)
    {
        var random = new Random(seed.Aggregate(17, (h, b) => h * 31 + b));
        var (rows, columns) = (1 + shape % 6, 1 + shape / 6 % 6);
        var cells = new int[rows, columns];
        for (var r = 0; r < rows; r++)
        {
            for (var c = 0; c < columns; c++)
            {
                // Mostly small counts and zeros, as in a table by prison and month.
                cells[r, c] = random.Next(3) == 0 ? 0 : random.Next(1, random.Next(2) == 0 ? 6 : 30);
            }
        }

        var hidden = TwoWayDisclosure.Suppressed(cells, Threshold);
        return PrimaryHidden(cells, hidden) && NoLineGivesOneAway(cells, hidden) && Safe(cells, hidden);
    }

    /// <summary>
    /// The largest table a request can ask for: ten years by month (120 columns) by thirty prisons, mostly small
    /// counts, so most entries are hidden. Too large for the elimination above; the line rule is checked.
    /// </summary>
    [Fact]
    public void The_largest_two_way_table_is_protected()
    {
        var random = new Random(20261123);
        var cells = new int[30, 120];
        for (var r = 0; r < 30; r++)
        {
            for (var c = 0; c < 120; c++)
            {
                cells[r, c] = random.Next(4) == 0 ? 0 : random.Next(1, 12);
            }
        }

        var watch = System.Diagnostics.Stopwatch.StartNew();
        var hidden = TwoWayDisclosure.Suppressed(cells, Threshold);
        Assert.True(PrimaryHidden(cells, hidden) && NoLineGivesOneAway(cells, hidden), $"took {watch.Elapsed}");
    }

    /// <summary>Every entry of 1 to threshold - 1 is hidden, and no zero is.</summary>
    private static bool PrimaryHidden(int[,] cells, bool[,] hidden)
    {
        var grid = TwoWayDisclosure.Extend(cells);
        return Positions(grid).All(p => grid[p.Row, p.Column] switch
        {
            0 => !hidden[p.Row, p.Column],
            < Threshold => hidden[p.Row, p.Column],
            _ => true,
        });
    }

    /// <summary>No line's total minus its shown entries leaves exactly one hidden value.</summary>
    private static bool NoLineGivesOneAway(int[,] cells, bool[,] hidden)
    {
        var grid = TwoWayDisclosure.Extend(cells);
        return TwoWayDisclosure.Lines(grid.GetLength(0), grid.GetLength(1))
            .All(line => line.Count(p => hidden[p.Row, p.Column]) != 1);
    }

    /// <summary>
    /// No hidden entry is fixed by the equations the table publishes (each row and column of the extended grid adds up
    /// to its total), whichever lines are combined: its unit vector is not in the row space of the equations over
    /// the hidden entries (Gaussian elimination).
    /// </summary>
    private static bool Safe(int[,] cells, bool[,] hidden)
    {
        var grid = TwoWayDisclosure.Extend(cells);
        var unknowns = Positions(grid).Where(p => hidden[p.Row, p.Column]).ToList();
        if (unknowns.Count == 0)
        {
            return true;
        }

        var equations = new List<double[]>();
        foreach (var line in TwoWayDisclosure.Lines(grid.GetLength(0), grid.GetLength(1)))
        {
            var equation = new double[unknowns.Count];
            for (var i = 0; i < line.Count; i++)
            {
                // A line's last entry is its total: the others add up to it.
                if (unknowns.IndexOf(line[i]) is var index and >= 0)
                {
                    equation[index] = i == line.Count - 1 ? -1 : 1;
                }
            }

            equations.Add(equation);
        }

        var rank = Rank(equations);
        return Enumerable.Range(0, unknowns.Count).All(k =>
        {
            var unit = new double[unknowns.Count];
            unit[k] = 1;
            return Rank([.. equations, unit]) > rank;
        });
    }

    private static int Rank(IReadOnlyList<double[]> matrix)
    {
        var rows = matrix.Select(r => (double[])r.Clone()).ToList();
        var rank = 0;
        var width = rows.Count == 0 ? 0 : rows[0].Length;
        for (var column = 0; column < width && rank < rows.Count; column++)
        {
            var pivot = Enumerable.Range(rank, rows.Count - rank)
                .OrderByDescending(r => Math.Abs(rows[r][column]))
                .First();
            if (Math.Abs(rows[pivot][column]) < 1e-9)
            {
                continue;
            }

            (rows[rank], rows[pivot]) = (rows[pivot], rows[rank]);
            for (var r = 0; r < rows.Count; r++)
            {
                if (r != rank && rows[r][column] != 0)
                {
                    var factor = rows[r][column] / rows[rank][column];
                    for (var c = column; c < width; c++)
                    {
                        rows[r][c] -= factor * rows[rank][c];
                    }
                }
            }

            rank++;
        }

        return rank;
    }

    private static IEnumerable<(int Row, int Column)> Positions(int[,] grid) =>
        Enumerable.Range(0, grid.GetLength(0))
            .SelectMany(r => Enumerable.Range(0, grid.GetLength(1)).Select(c => (r, c)));

    private static IReadOnlyList<(int, int)> Hidden(bool[,] hidden) =>
        Enumerable.Range(0, hidden.GetLength(0))
            .SelectMany(r => Enumerable.Range(0, hidden.GetLength(1)).Select(c => (r, c)))
            .Where(p => hidden[p.r, p.c])
            .ToList();

    private static string Describe(int[,] cells) =>
        string.Join(" / ", Enumerable.Range(0, cells.GetLength(0))
            .Select(r => string.Join(",", Enumerable.Range(0, cells.GetLength(1)).Select(c => cells[r, c]))));
}
