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

    private readonly Dictionary<int, int> _pickupDays = [];

    private readonly Dictionary<LocalDate, int> _waiting = [];

    public void AddPickups(int day, int journeys) => _pickupDays[day] = _pickupDays.GetValueOrDefault(day) + journeys;

    public void AddWaiting(LocalDate releasedOn, int journeys) =>
        _waiting[releasedOn] = _waiting.GetValueOrDefault(releasedOn) + journeys;

    /// <summary>
    /// The time-to-pickup row: the known journeys' pickups by day, and for the estimate each pickup, each unpicked
    /// journey in an open window seen up to today, and the unpicked in closed windows seen past its last day.
    /// </summary>
    public PickupDistribution PickupRow(string key, LocalDate today, ContinuityRules rules)
    {
        var closedUnpicked = Phases.Where(p => !p.Phase.WindowOpen).Sum(p => CohortCells.Unpicked(p.Counts));
        var observations = _pickupDays.Select(d => (d.Key, true, d.Value))
            .Concat(_waiting.Select(w => (ContinuityWindow.DayNumber(w.Key, today), false, w.Value)))
            .Append((CohortCells.PickupDayCap(rules), false, closedUnpicked))
            .Where(o => o.Item3 != 0)
            .ToList();
        return PickupDistribution.From(key, Released, Continuity().Known, _pickupDays, observations, rules);
    }

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
        ContinuityTally.Empty, (tally, p) => tally + CohortCells.Continuity(p.Counts, p.Phase));

    public RetentionTally Retention() => Phases.Aggregate(
        RetentionTally.Empty, (tally, p) => tally + CohortCells.Retained(p.Counts, p.Phase));

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
/// Analyst tables from the cohort cells: the total, one-way breakdowns, and two-way tables that cross a breakdown
/// with a period or the kind of release day; today from the cells, as of an earlier date from the changes recorded by
/// its end. Two breakdowns of the journeys themselves (prison by sex: kept in no cell), time to pickup as of an
/// earlier date, and cells counted with other rules than today's are answered from the journeys instead.
/// </summary>
public static class CohortCellTables
{
    /// <summary>The table, under the query's disclosure control, or null when the cells cannot answer it.</summary>
    public static async Task<AnalystTable<TRow>?> TableAsync<TRow>(
        AnalystQuery query, IQuerySession session, ContinuityRules rules, Func<string, CellSums, TRow> row,
        Func<string, TRow> suppressed, CancellationToken cancellation, bool withPickups = false)
        where TRow : IAnalystRow<TRow>
    {
        var breakdowns = new[] { query.By, query.Across }.OfType<Dimension>().ToList();
        var stored = breakdowns.Where(d => !ByReleaseDate(d)).ToList();
        // As of an earlier date, the counts are the changes recorded by its end; pickups are not kept by date.
        if ((!query.IsToday && withPickups) || stored.Count > 1
            || !await CohortCellStore.AnswerForAsync(session, rules, cancellation))
        {
            return null;
        }

        var dimension = stored.Count == 0 ? CohortCells.All
            : Breakdown.NameOf(stored[0] == Dimension.Region ? Dimension.Prison : stored[0]);
        DateGrain? grain = breakdowns.Contains(Dimension.ReleaseDay) ? DateGrain.Day
            : breakdowns.Any(ByReleaseDate) ? DateGrain.Month
            : null;
        var byGroup = stored.Count == 1;
        var reading = await CohortCellStore.SumAsync(
            session, dimension, stored.Count == 1, grain, query.From, query.To, query.AsOf, rules,
            asRecordedBy: !query.IsToday, withPickups, cancellation);
        var sums = reading.Counts.Select(s => new Part(s.Group, s.On, c => c.Add(s.Phase, s.Counts)))
            .Concat(reading.Pickups.Select(p => new Part(p.Group, p.On, c => c.AddPickups(p.Day, p.Journeys))))
            .Concat(reading.Waiting.Select(w => new Part(w.Group, w.On, c => c.AddWaiting(w.On, w.Journeys))))
            .ToList();

        string KeyOf(Dimension breakdown, Part sum) => breakdown switch
        {
            // A month's first day stands for the month: months, quarters and financial years are whole months.
            _ when ByReleaseDate(breakdown) => Breakdown.KeyOfReleaseDate(breakdown, sum.On!.Value)!,
            Dimension.Region => query.Organisations.RegionOfPrison(sum.Group),
            _ => sum.Group,
        };

        var total = Sum(sums);
        if (query.By is not { } by)
        {
            var (all, _) = query.Tabulate(
                (total, total.Released), Array.Empty<(string, CellSums, int)>(), row, suppressed);
            return new AnalystTable<TRow>(all, [], null, null);
        }

        var rows = Groups(query, by, sums.GroupBy(s => KeyOf(by, s)));
        if (query.Across is not { } across)
        {
            var (all, groups) = query.Tabulate((total, total.Released), rows, row, suppressed);
            return new AnalystTable<TRow>(all, groups, null, null);
        }

        var columns = Groups(query, across, sums.GroupBy(s => KeyOf(across, s)));
        var cells = sums
            .GroupBy(s => (Row: KeyOf(by, s), Column: KeyOf(across, s)))
            .ToDictionary(g => g.Key, Sum);
        return TwoWayTable.Of(
            query, by, across, rows, columns,
            (r, c) => cells.GetValueOrDefault((rows[r].Key, columns[c].Key)) is { } cell
                ? (cell, cell.Released)
                : (new CellSums(), 0),
            (total, total.Released), row, suppressed);
    }

    /// <summary>Breakdowns read from the total's cells by release date, not kept in cells of their own.</summary>
    private static bool ByReleaseDate(Dimension breakdown) =>
        breakdown is Dimension.Month or Dimension.Quarter or Dimension.FinancialYear or Dimension.ReleaseDay;

    /// <summary>Something summed from the cells, of one group and date or month, and how it adds to a group.</summary>
    private sealed record Part(string Group, LocalDate? On, Action<CellSums> AddTo);

    private static CellSums Sum(IEnumerable<Part> parts)
    {
        var sum = new CellSums();
        foreach (var part in parts)
        {
            part.AddTo(sum);
        }

        return sum;
    }

    /// <summary>A breakdown's groups in the order shown (every period of the range), each with its releases.</summary>
    private static IReadOnlyList<(string Key, CellSums Group, int Released)> Groups(
        AnalystQuery query, Dimension breakdown, IEnumerable<IGrouping<string, Part>> present)
    {
        var groups = present.ToDictionary(g => g.Key, Sum, StringComparer.Ordinal);
        return Breakdown.Keys(breakdown, query.From, query.To, groups.Keys)
            .Select(k => groups.GetValueOrDefault(k) is { } g ? (k, g, g.Released) : (k, new CellSums(), 0))
            .ToList();
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
