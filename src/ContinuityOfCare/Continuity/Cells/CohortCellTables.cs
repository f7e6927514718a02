using ContinuityOfCare.Journeys.Lapse;
using Marten;
using NodaTime;

namespace ContinuityOfCare.Continuity.Cells;

/// <summary>
/// The summed cells of one group: the counts per phase its release dates stand in on the query's date (at most four
/// phases, whatever the number of journeys).
/// </summary>
public sealed class CellSums
{
    private readonly Dictionary<CellPhase, int[]> _byPhase = [];

    public int Released => _byPhase.Values.Sum(c => c[(int)CellCount.Released]);

    public IEnumerable<(CellPhase Phase, int[] Counts)> Phases => _byPhase.Select(p => (p.Key, p.Value));

    public void Add(CellPhase phase, IReadOnlyList<int> counts)
    {
        if (!_byPhase.TryGetValue(phase, out var sum))
        {
            _byPhase[phase] = sum = new int[CohortCells.Width];
        }

        for (var i = 0; i < sum.Length; i++)
        {
            sum[i] += counts[i];
        }
    }

    public void Add(CellSums other)
    {
        foreach (var (phase, counts) in other.Phases)
        {
            Add(phase, counts);
        }
    }

    public ContinuityTally Continuity() => Phases.Aggregate(
        ContinuityTally.Empty, (tally, p) => CohortCells.Add(tally, CohortCells.Continuity(p.Counts, p.Phase)));

    public RetentionTally Retention() => Phases.Aggregate(
        new RetentionTally(0, 0, 0),
        (tally, p) => CohortCells.Retained(p.Counts, p.Phase) is var r
            ? new RetentionTally(
                tally.Retained + r.Retained, tally.NotRetained + r.NotRetained, tally.Pending + r.Pending)
            : tally);

    /// <summary>The not engaged (windows closed without a pickup) per lapse reason, and with none.</summary>
    public (int[] ByReason, int NoReason) Lapses()
    {
        var byReason = new int[Enum.GetValues<LapseReason>().Length];
        var noReason = 0;
        foreach (var (_, counts) in Phases.Where(p => !p.Phase.WindowOpen))
        {
            noReason += counts[(int)CellCount.UnpickedNoReason];
            for (var r = 0; r < byReason.Length; r++)
            {
                byReason[r] += counts[(int)CellCount.UnpickedFirstReason + r];
            }
        }

        return (byReason, noReason);
    }
}

/// <summary>
/// Analyst tables from the cohort cells: the total and one-way breakdowns, as they stand today. An earlier "as of"
/// date, a two-way table, and cells counted with other rules than today's are answered from the journeys instead.
/// </summary>
public static class CohortCellTables
{
    /// <summary>
    /// The table's total and groups from the cells, under the query's disclosure control, or null when the cells
    /// cannot answer it.
    /// </summary>
    public static async Task<(TRow Total, IReadOnlyList<TRow> Groups)?> TableAsync<TRow>(
        AnalystQuery query, IQuerySession session, ContinuityRules rules, Func<string, CellSums, TRow> row,
        Func<string, TRow> suppressed, CancellationToken cancellation)
        where TRow : IAnalystRow<TRow>
    {
        if (!query.IsToday || query.Across is not null
            || !await CohortCellStore.AnswerForAsync(session, rules, cancellation))
        {
            return null;
        }

        var by = query.By;
        var byDate = by is { } d && Breakdown.KeyOfReleaseDate(d, query.From) is not null;
        var dimension = by switch
        {
            null => CohortCells.All,
            _ when byDate => CohortCells.All,
            Dimension.Region => CohortCells.NameOf(Dimension.Prison),
            { } stored => CohortCells.NameOf(stored),
        };

        var sums = await CohortCellStore.SumAsync(
            session, dimension, byDate, query.From, query.To, query.AsOf, rules, cancellation);
        var total = new CellSums();
        var groups = new Dictionary<string, CellSums>(StringComparer.Ordinal);
        foreach (var (cell, phase, counts) in sums)
        {
            total.Add(phase, counts);
            var key = by switch
            {
                null => CohortCells.All,
                Dimension.Region => query.Organisations.RegionOfPrison(cell),
                { } period when byDate => Breakdown.KeyOfReleaseDate(period, CohortCellStore.ParseDate(cell))!,
                _ => cell,
            };
            if (!groups.TryGetValue(key, out var group))
            {
                groups[key] = group = new CellSums();
            }

            group.Add(phase, counts);
        }

        var ordered = by is { } breakdown
            ? Breakdown.Keys(breakdown, query.From, query.To, groups.Keys)
                .Select(k => groups.GetValueOrDefault(k) is { } g ? (k, g, g.Released) : (k, new CellSums(), 0))
                .ToList()
            : [];
        return query.Tabulate((total, total.Released), ordered, row, suppressed);
    }

    public static ContinuityGroup ContinuityRow(string key, CellSums sums) =>
        ContinuityGroup.From(key, sums.Continuity());

    public static RetentionGroup RetentionRow(string key, CellSums sums) =>
        RetentionGroup.From(key, sums.Released, sums.Retention());

    public static LapseReasonGroup LapseRow(string key, CellSums sums)
    {
        var (byReason, noReason) = sums.Lapses();
        return LapseReasonGroup.From(key, sums.Released, byReason, noReason);
    }
}
