using System.Text;
using ContinuityOfCare.Journeys;

namespace ContinuityOfCare.Continuity;

/// <summary>One row of a two-way table's cells: the row's key and one entry per column, keyed by the column.</summary>
public sealed record CrossRow<TRow>(string Key, IReadOnlyList<TRow> Columns);

/// <summary>
/// An analyst table, one-way (total and groups) or two-way (`by=prison,month`): then the groups are the row totals,
/// <see cref="Columns"/> the column totals and <see cref="Cells"/> the cells, all under one disclosure control.
/// </summary>
public sealed record AnalystTable<TRow>(
    TRow Total, IReadOnlyList<TRow> Groups, IReadOnlyList<TRow>? Columns, IReadOnlyList<CrossRow<TRow>>? Cells);

/// <summary>A report that may be two-way: its column totals and cells, null when it is not.</summary>
public interface ITwoWayReport<TRow> : IAnalystReport<TRow>
    where TRow : ICsvRow
{
    IReadOnlyList<TRow>? Columns { get; }

    IReadOnlyList<CrossRow<TRow>>? Cells { get; }
}

public static class TwoWayTable
{
    /// <summary>
    /// The two-way table of <paramref name="cohort"/>: rows by <paramref name="rows"/>, columns by
    /// <paramref name="columns"/>, each group in the order its one-way table shows it (every period of a period
    /// dimension, empty ones too), suppressed by <see cref="TwoWayDisclosure"/>.
    /// </summary>
    public static AnalystTable<TRow> Of<TRow>(
        AnalystQuery query, IReadOnlyList<JourneyFacts> cohort, Dimension rows, Dimension columns,
        Func<string, IReadOnlyList<JourneyFacts>, TRow> row, Func<string, TRow> suppressed)
        where TRow : IAnalystRow<TRow>
    {
        var organisations = query.Organisations;
        var rowGroups = Breakdown.Group(cohort, rows, query.From, query.To, organisations);
        var columnGroups = Breakdown.Group(cohort, columns, query.From, query.To, organisations);
        var rowIndex = rowGroups.Select((g, i) => (g.Key, i)).ToDictionary(x => x.Key, x => x.i);
        var columnIndex = columnGroups.Select((g, i) => (g.Key, i)).ToDictionary(x => x.Key, x => x.i);

        var cells = new List<JourneyFacts>[rowGroups.Count, columnGroups.Count];
        foreach (var journey in cohort)
        {
            var (r, c) = (
                rowIndex[Breakdown.Key(rows, journey, organisations)],
                columnIndex[Breakdown.Key(columns, journey, organisations)]);
            (cells[r, c] ??= []).Add(journey);
        }

        return Of(
            query, rows, columns,
            rowGroups.Select(g => (g.Key, g.Journeys, g.Journeys.Count)).ToList(),
            columnGroups.Select(g => (g.Key, g.Journeys, g.Journeys.Count)).ToList(),
            (r, c) => cells[r, c] is { } journeys ? (journeys, journeys.Count) : ([], 0),
            (cohort, cohort.Count), row, suppressed);
    }

    /// <summary>
    /// The same over groups already counted (cohort cells, or journeys): the row and column totals in the order
    /// shown, each cell by its row and column index, and the grand total, each with its releases.
    /// </summary>
    public static AnalystTable<TRow> Of<TRow, TGroup>(
        AnalystQuery query, Dimension rows, Dimension columns,
        IReadOnlyList<(string Key, TGroup Group, int Released)> rowGroups,
        IReadOnlyList<(string Key, TGroup Group, int Released)> columnGroups,
        Func<int, int, (TGroup Group, int Released)> cell,
        (TGroup Group, int Released) total,
        Func<string, TGroup, TRow> row, Func<string, TRow> suppressed)
        where TRow : IAnalystRow<TRow>
    {
        var counts = new int[rowGroups.Count, columnGroups.Count];
        for (var r = 0; r < rowGroups.Count; r++)
        for (var c = 0; c < columnGroups.Count; c++)
        {
            counts[r, c] = cell(r, c).Released;
        }

        var hidden = TwoWayDisclosure.Suppressed(counts, query.SuppressionThreshold);
        int last = rowGroups.Count, lastColumn = columnGroups.Count;
        TRow Entry(int r, int c, string key, TGroup group) => hidden[r, c] ? suppressed(key) : row(key, group);

        // Row totals are named by the rows' dimension; column totals and cells by the columns'.
        return new AnalystTable<TRow>(
            Entry(last, lastColumn, "all", total.Group),
            rowGroups.Select((g, r) => query.Named(Entry(r, lastColumn, g.Key, g.Group), rows, g.Key)).ToList(),
            columnGroups.Select((g, c) => query.Named(Entry(last, c, g.Key, g.Group), columns, g.Key)).ToList(),
            rowGroups.Select((g, r) => new CrossRow<TRow>(
                    g.Key,
                    columnGroups.Select((h, c) => query.Named(Entry(r, c, h.Key, cell(r, c).Group), columns, h.Key))
                        .ToList()))
                .ToList());
    }

    /// <summary>
    /// A two-way table as CSV, one line per entry: the total (all, all), the row totals (key, all), the column totals
    /// (all, key), then the cells (row, column), each with the one-way table's columns after the keys. Each key has
    /// its organisation's name beside it (empty for other breakdowns and for `all`).
    /// </summary>
    public static StringBuilder AppendCsv<TRow>(
        StringBuilder csv, TRow total, IReadOnlyList<TRow> groups, IEnumerable<TRow> columns,
        IEnumerable<CrossRow<TRow>> cells)
        where TRow : ICsvRow
    {
        const string all = "all";
        csv.Append("row,rowName,column,columnName,")
            .AppendJoin(',', total.Cells().Where(c => !IsKey(c.Column)).Select(c => c.Column)).Append('\n');
        var rowNames = groups.ToDictionary(Key, Name);
        var lines = new[] { (all, "", all, "", total) }
            .Concat(groups.Select(g => (Key(g), Name(g), all, "", g)))
            .Concat(columns.Select(c => (all, "", Key(c), Name(c), c)))
            .Concat(cells.SelectMany(r => r.Columns.Select(c => (r.Key, rowNames[r.Key], Key(c), Name(c), c))));
        foreach (var (rowKey, rowName, columnKey, columnName, entry) in lines)
        {
            csv.AppendJoin(',', new[] { rowKey, rowName, columnKey, columnName }.Select(AnalystCsv.Text)).Append(',')
                .AppendJoin(',', entry.Cells().Where(c => !IsKey(c.Column)).Select(c => AnalystCsv.Cell(c.Value)))
                .Append('\n');
        }

        return csv;
    }

    /// <summary>The key and the name beside it: a two-way line's keys are its row and column.</summary>
    private static bool IsKey(string column) => column is "key" or "name";

    private static string Key<TRow>(TRow row)
        where TRow : ICsvRow =>
        row.Cells().First(c => c.Column == "key").Value?.ToString() ?? "";

    private static string Name<TRow>(TRow row)
        where TRow : ICsvRow =>
        row.Cells().FirstOrDefault(c => c.Column == "name").Value?.ToString() ?? "";
}
