using System.Diagnostics;
using System.Net;
using System.Text.Json;
using ContinuityOfCare.Continuity;
using ContinuityOfCare.Continuity.Cells;
using ContinuityOfCare.Http;
using ContinuityOfCare.Organisations;
using ContinuityOfCare.Samples;
using ContinuityOfCare.Tests.Support;
using Marten;
using NodaTime;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace ContinuityOfCare.Tests.Reference;

/// <summary>
/// Thousands of generated journeys (late-recorded pickups, exits recorded before backdated pickups, redirects,
/// corrected release dates) posted through HTTP day by day, then every table compared with the reference computation,
/// today and as of earlier dates.
/// </summary>
[Collection(HeavyPostgresCollection.Name)]
public sealed class ReferenceComputationTests(PostgresCluster postgres, ITestOutputHelper output) : IAsyncLifetime
{
    private static readonly LocalDate Today = new(2026, 11, 23);
    private static readonly LocalDate From = new(2026, 3, 1);

    private static readonly string[] Dimensions =
    [
        "prison", "localAuthority", "provider", "region", "substanceGroup", "sex", "ageBand", "releaseType",
        "noFixedAbode", "naloxone", "metAtGate", "month", "quarter", "financialYear", "releaseDay",
    ];

    /// <summary>Two-way tables the cells answer: a breakdown crossed with a period or the kind of day.</summary>
    private static readonly (Dimension?, Dimension?)[] TwoWayFromCells =
    [
        (Dimension.Prison, Dimension.Month), (Dimension.Month, Dimension.LocalAuthority),
        (Dimension.AgeBand, Dimension.Quarter), (Dimension.ReleaseDay, Dimension.Sex),
        (Dimension.Region, Dimension.FinancialYear), (Dimension.Month, Dimension.ReleaseDay),
    ];

    private ServiceFactory _service = null!;
    private JourneyApi _api = null!;
    private IReadOnlyList<JourneyPlan> _plans = [];

    public async Task InitializeAsync()
    {
        _service = await postgres.SharedServiceAsync();
        await _service.ResetAsync();
        _api = new JourneyApi(_service.CreateClient());
        _plans = SyntheticJourneys.Generate(new GeneratorSettings(
            2000, From, Today, TargetRate: 0.45, Seed: 20261123, LateShare: 0.12, CorrectionShare: 0.06));

        var watch = Stopwatch.StartNew();
        // The loader posts four journeys at a time: one tracked session for the whole load waits for what they cause.
        await _service.TrackAsync(
            () => new JourneyLoader(_api.Client).LoadAsync(_plans, day =>
            {
                _service.SetToday(day);
                return Task.CompletedTask;
            }),
            TimeSpan.FromMinutes(5));
        _service.SetToday(Today);
        await _service.CatchUpAsync();
        output.WriteLine(
            $"loaded {_plans.Sum(p => p.Steps.Count)} requests for {_plans.Count} journeys " +
            $"in {watch.Elapsed.TotalSeconds:F1} s");
    }

    public Task DisposeAsync() => Task.CompletedTask;

    /// <summary>One test, so the two thousand journeys are loaded once.</summary>
    [Fact]
    public async Task Every_table_matches_the_reference_today_and_as_of_earlier_dates()
    {
        await ContinuityTablesMatchAsync();
        await RetentionAndTimeToPickupMatchAsync();
        await PickupEstimateMatchesAsync();
        await TwoWayTablesAndNamedPeriodsMatchAsync();
        await LapseReasonTablesMatchAsync();
        await AuditExportAndReconciliationMatchAsync();
        await CellsAnswerAsThePerJourneyPathDoesAsync();
        await ARebuildCountsTheSameCellsAsync();
    }

    /// <summary>
    /// A rebuild folds each journey's events of many recording dates in one batch (the live daemon met them a few at
    /// a time): it counts the same cells, changes by recording date and pickups, row for row.
    /// </summary>
    private async Task ARebuildCountsTheSameCellsAsync()
    {
        var tables = new[] { CohortCellStore.CellsTable, CohortCellStore.ChangesTable, CohortCellStore.PickupsTable }
            .Select(t => CohortCellStore.Qualified((StoreOptions)_service.Store.Options, t))
            .ToList();
        async Task<List<IReadOnlyList<string>>> RowsAsync()
        {
            await using var session = _service.Store.QuerySession();
            var rows = new List<IReadOnlyList<string>>();
            foreach (var table in tables)
            {
                rows.Add(await session.AdvancedSql.QueryAsync<string>(
                    $"select t::text from {table} t order by 1", CancellationToken.None));
            }

            return rows;
        }

        var live = await RowsAsync();
        var operatorClient = _service.ClientAs(ServiceFactory.Token("operator", "PLATFORM"));
        var rebuilt = await operatorClient.PostAsync("/api/v1/operations/projections/release-cohort/rebuild", null);
        Assert.Equal(HttpStatusCode.OK, rebuilt.StatusCode);
        await _service.CatchUpAsync();

        var again = await RowsAsync();
        for (var i = 0; i < tables.Count; i++)
        {
            Assert.True(live[i].Count > 100, $"{tables[i]}: only {live[i].Count} rows");
            Assert.Equal(live[i], again[i]);
        }
    }

    /// <summary>
    /// Today's tables from the cohort cells against the same tables computed journey by journey from the cohort rows,
    /// for the total and every breakdown, over the whole range and a month, suppressed and not.
    /// </summary>
    private async Task CellsAnswerAsThePerJourneyPathDoesAsync()
    {
        var rules = _service.Services.GetRequiredService<ContinuityRules>();
        await using var session = _service.Store.QuerySession();
        var directory = await OrganisationsEndpoint.CurrentAsync(session, CancellationToken.None);
        var compared = 0;
        foreach (var (from, to) in new[] { (From, Today), (new LocalDate(2026, 6, 1), new LocalDate(2026, 6, 30)) })
        foreach (var (by, across) in Dimensions.Select(d => ((Dimension?)Breakdown.Names[d], (Dimension?)null))
                     .Prepend((null, null))
                     .Concat(TwoWayFromCells))
        foreach (var threshold in new[] { 1, Disclosure.DefaultThreshold })
        {
            var query = new AnalystQuery(from, to, by, Today, IsToday: true)
            {
                Organisations = directory, SuppressionThreshold = threshold, Across = across,
            };
            var cohort = await CohortReader.CurrentAsync(session, from, to, CancellationToken.None);
            await SameTablesAsync(query, cohort);
            Same(
                TimeToPickupEndpoint.Report(query, cohort, rules),
                await TimeToPickupEndpoint.FromCellsAsync(query, session, rules, CancellationToken.None));
            compared += 4;
        }

        output.WriteLine($"cells and journeys compared on {compared} tables");

        // Journeys moved between cells (corrected dates, transfers, redirects) leave no row that counts nothing.
        var zero = string.Join(" and ", CohortCellStore.Columns.Select(c => $"{c} = 0"));
        foreach (var (table, counts) in new[]
                 {
                     (CohortCellStore.CellsTable, zero), (CohortCellStore.ChangesTable, zero),
                     (CohortCellStore.PickupsTable, "journeys = 0"),
                 })
        {
            var qualified = CohortCellStore.Qualified((StoreOptions)_service.Store.Options, table);
            var empty = await session.AdvancedSql.QueryAsync<long>(
                $"select count(*) from {qualified} where {counts}", CancellationToken.None);
            Assert.True(empty.Single() == 0, $"{empty.Single()} rows of {table} count nothing");
        }

        // As of earlier dates: the changes recorded by each date's end against the journeys' events replayed.
        var asOfCompared = 0;
        LocalDate[] earlier = [new(2026, 9, 30), new(2026, 7, 15), new(2026, 3, 1)];
        foreach (var asOf in earlier)
        foreach (var (by, across) in Dimensions.Select(d => ((Dimension?)Breakdown.Names[d], (Dimension?)null))
                     .Prepend((null, null))
                     .Concat(TwoWayFromCells))
        {
            var query = new AnalystQuery(From, Today, by, asOf, IsToday: false)
            {
                Organisations = directory, SuppressionThreshold = 1, Across = across,
            };
            var cohort = await CohortReader.AsOfAsync(session, From, Today, asOf, CancellationToken.None);
            await SameTablesAsync(query, cohort);
            asOfCompared += 3;
        }

        output.WriteLine($"cells and journeys compared on {asOfCompared} tables as of earlier dates");

        // Two breakdowns of the journeys themselves are kept in no cell: those tables are read journey by journey.
        var prisonBySex = new AnalystQuery(From, Today, Dimension.Prison, Today, IsToday: true)
        {
            Across = Dimension.Sex,
        };
        Assert.Null(await ContinuityRateEndpoint.FromCellsAsync(prisonBySex, session, rules, CancellationToken.None));

        // Continuity, retention and lapse reasons: from the cells (or their changes) and journey by journey.
        async Task SameTablesAsync(AnalystQuery query, IReadOnlyList<ContinuityOfCare.Journeys.JourneyFacts> cohort)
        {
            var none = CancellationToken.None;
            Same(
                ContinuityRateEndpoint.Report(query, cohort, rules),
                await ContinuityRateEndpoint.FromCellsAsync(query, session, rules, none));
            Same(
                RetentionEndpoint.Report(query, cohort, rules),
                await RetentionEndpoint.FromCellsAsync(query, session, rules, none));
            Same(
                LapseReasonsEndpoint.Report(query, cohort, rules),
                await LapseReasonsEndpoint.FromCellsAsync(query, session, rules, none));
        }

        static void Same(object perJourney, object? fromCells)
        {
            Assert.NotNull(fromCells);
            Assert.Equal(
                JsonSerializer.Serialize(perJourney, ApiJson.Options),
                JsonSerializer.Serialize(fromCells, ApiJson.Options));
        }
    }

    /// <summary>The Kaplan-Meier estimate against the product-limit restated over the generator's facts.</summary>
    private async Task PickupEstimateMatchesAsync()
    {
        foreach (var asOf in new[] { Today, new LocalDate(2026, 9, 30), new LocalDate(2026, 7, 15) })
        {
            var known = ReferenceFigures.KnownAt(_plans, asOf).Where(j => j.ReleasedOn <= asOf).ToList();
            var query = $"from={From:uuuu-MM-dd}&to={asOf:uuuu-MM-dd}&asOf={asOf:uuuu-MM-dd}";
            var estimate = (await _api.GetJsonAsync($"/api/v1/continuity/time-to-pickup?{query}"))
                .GetProperty("total").GetProperty("estimate");
            var expected = ReferenceFigures.PickupEstimate(known, asOf);
            Assert.True(expected.Pending > 20, $"as of {asOf}: only {expected.Pending} pending");
            Assert.Equal(expected.Pending, estimate.GetProperty("pending").GetInt32());
            var days = estimate.GetProperty("days").EnumerateArray().ToList();
            Assert.Equal(expected.Days.Count, days.Count);
            foreach (var (want, got) in expected.Days.Zip(days))
            {
                var where = $"as of {asOf}, day {want.Day}";
                Assert.True(want.AtRisk == got.GetProperty("atRisk").GetInt32(), $"{where}: at risk");
                Assert.True(want.PickedUp == got.GetProperty("pickedUp").GetInt32(), $"{where}: picked up");
                Assert.True(Math.Abs(want.Share - got.GetProperty("share").GetDouble()) < 1e-9, $"{where}: share");
            }
        }
    }

    /// <summary>
    /// Two-way tables: every figure shown is the reference's, every small entry is hidden, and no row or column
    /// (totals included) has exactly one hidden entry. A named period answers as its dates.
    /// </summary>
    private async Task TwoWayTablesAndNamedPeriodsMatchAsync()
    {
        var known = ReferenceFigures.KnownAt(_plans, Today);
        foreach (var (rows, columns) in new[]
                 {
                     ("prison", "month"), ("provider", "sex"), ("month", "localAuthority"), ("ageBand", "quarter"),
                     ("releaseType", "ageBand"), ("region", "provider"),
                 })
        {
            var url = $"/api/v1/continuity?from={From:uuuu-MM-dd}&to={Today:uuuu-MM-dd}&by={rows},{columns}";
            var report = await _api.GetJsonAsync(url);
            var cohort = known.Where(j => j.ReleasedOn >= From && j.ReleasedOn <= Today).ToList();
            var grid = report.GetProperty("cells").EnumerateArray()
                .Select(r => r.GetProperty("columns").EnumerateArray()
                    .Append(report.GetProperty("groups").EnumerateArray()
                        .Single(g => g.GetProperty("key").GetString() == r.GetProperty("key").GetString()))
                    .Select(e => (Row: r.GetProperty("key").GetString()!, Entry: e))
                    .ToList())
                .Append(report.GetProperty("columns").EnumerateArray().Append(report.GetProperty("total"))
                    .Select(e => (Row: "all", Entry: e)).ToList())
                .ToList();
            var columnKeys = report.GetProperty("columns").EnumerateArray()
                .Select(c => c.GetProperty("key").GetString()!).Append("all").ToList();

            var hidden = 0;
            foreach (var line in grid)
            {
                for (var c = 0; c < line.Count; c++)
                {
                    var (rowKey, entry) = (line[c].Row, line[c].Entry);
                    var journeys = cohort
                        .Where(j => rowKey == "all" || ReferenceFigures.Key(rows, j) == rowKey)
                        .Where(j => columnKeys[c] == "all" || ReferenceFigures.Key(columns, j) == columnKeys[c])
                        .ToList();
                    var expected = ReferenceFigures.Table(journeys, From, Today, null, Today, threshold: 1).Total;
                    var where = $"{url} [{rowKey}, {columnKeys[c]}]";
                    if (entry.GetProperty("suppressed").GetBoolean())
                    {
                        hidden++;
                        Assert.True(journeys.Count > 0, $"{where}: an empty entry is hidden");
                        continue;
                    }

                    Assert.True(journeys.Count is 0 or >= 5, $"{where}: {journeys.Count} releases shown");
                    AssertRow(url, expected with { Key = entry.GetProperty("key").GetString()! }, entry);
                }
            }

            var byColumn = Enumerable.Range(0, columnKeys.Count).Select(c => grid.Select(line => line[c]));
            Assert.All(
                grid.Select(line => line.AsEnumerable()).Concat(byColumn),
                line => Assert.NotEqual(1, line.Count(e => e.Entry.GetProperty("suppressed").GetBoolean())));
            output.WriteLine($"{url}: {grid.Sum(l => l.Count)} entries, {hidden} hidden");
        }

        foreach (var (period, from, to) in new[]
                 {
                     ("2026-Q2", new LocalDate(2026, 4, 1), new LocalDate(2026, 6, 30)),
                     ("2026-08", new LocalDate(2026, 8, 1), new LocalDate(2026, 8, 31)),
                 })
        {
            var report = await _api.GetJsonAsync($"/api/v1/continuity?period={period}&by=prison");
            var (total, groups) = ReferenceFigures.Table(known, from, to, "prison", Today);
            AssertRow(period, total, report.GetProperty("total"));
            Assert.Equal(groups.Count, report.GetProperty("groups").GetArrayLength());
            foreach (var (want, got) in groups.Zip(report.GetProperty("groups").EnumerateArray()))
            {
                AssertRow(period, want, got);
            }
        }
    }

    private async Task ContinuityTablesMatchAsync()
    {
        // The generated data must actually contain what this test claims to exercise.
        Assert.True(_plans.Count(p => p.ReleaseCorrectedTo is not null) > 50);
        Assert.True(_plans.Count(p => p.Exit is not null) > 100);
        Assert.True(_plans.Count(p => p.PickupOn is { } pickup
            && p.Steps.Single(s => s.Action == "community-treatment-start").RecordedOn > pickup.PlusDays(15)) > 50);

        var known = ReferenceFigures.KnownAt(_plans, Today);
        var ranges = new[]
        {
            (From, Today), (new LocalDate(2026, 6, 1), new LocalDate(2026, 8, 31)),
            (new LocalDate(2026, 10, 15), Today),
        };
        var compared = 0;
        foreach (var (from, to) in ranges)
        {
            foreach (var by in Dimensions.Prepend(null))
            {
                await CompareAsync(known, from, to, by, asOf: null);
                compared++;
            }
        }

        foreach (var asOf in
            new[] { new LocalDate(2026, 7, 15), new LocalDate(2026, 10, 1), new LocalDate(2026, 11, 10) })
        {
            var knownThen = ReferenceFigures.KnownAt(_plans, asOf);
            foreach (var by in new[] { null, "prison", "month", "provider" })
            {
                await CompareAsync(knownThen, From, asOf, by, asOf);
                compared++;
            }
        }

        output.WriteLine($"{compared} tables compared");
    }

    private async Task RetentionAndTimeToPickupMatchAsync()
    {
        foreach (var asOf in new[] { Today, new LocalDate(2026, 9, 30) })
        {
            var known = ReferenceFigures.KnownAt(_plans, asOf).Where(j => j.ReleasedOn <= asOf).ToList();
            var query = $"from={From:uuuu-MM-dd}&to={asOf:uuuu-MM-dd}&asOf={asOf:uuuu-MM-dd}";

            var retention = (await _api.GetJsonAsync($"/api/v1/retention?{query}")).GetProperty("total");
            var outcomes = known.Select(j => ReferenceFigures.Retention(j, asOf)).ToList();
            Assert.Equal(outcomes.Count(o => o is not null), retention.GetProperty("engagedInWindow").GetInt32());
            Assert.Equal(outcomes.Count(o => o == "retained"), retention.GetProperty("retained").GetInt32());
            Assert.Equal(outcomes.Count(o => o == "not-retained"), retention.GetProperty("notRetained").GetInt32());
            Assert.Equal(outcomes.Count(o => o == "pending"), retention.GetProperty("pending").GetInt32());

            var distribution = (await _api.GetJsonAsync($"/api/v1/continuity/time-to-pickup?{query}"))
                .GetProperty("total");
            var knownOutcome = known
                .Where(j => ReferenceFigures.Outcome(j, asOf) is "engaged" or "late" or "not-engaged")
                .ToList();
            Assert.Equal(knownOutcome.Count, distribution.GetProperty("known").GetInt32());
            var days = distribution.GetProperty("days").EnumerateArray().ToList();
            for (var day = 0; day <= 28; day++)
            {
                var expected = knownOutcome.Count(
                    j => j.PickupOn is { } p && Period.DaysBetween(j.ReleasedOn, p) == day);
                Assert.True(expected == days[day].GetProperty("pickedUp").GetInt32(), $"as of {asOf}, day {day}");
            }

            Assert.Equal(
                knownOutcome.Count(j => j.PickupOn is { } p && Period.DaysBetween(j.ReleasedOn, p) > 28),
                distribution.GetProperty("later").GetInt32());
            Assert.Equal(knownOutcome.Count(j => j.PickupOn is null), distribution.GetProperty("never").GetInt32());
        }
    }

    private async Task LapseReasonTablesMatchAsync()
    {
        // Reasons recorded, corrected, and followed by a backdated pickup that makes the journey no longer lapsed.
        Assert.True(_plans.Count(p => p.LapseReasons is { Count: > 0 }) > 200);
        Assert.True(_plans.Count(p => p.LapseReasons is { Count: > 1 }) > 10);
        Assert.True(_plans.Count(p => p.LapseReasons is { Count: > 0 } && p.PickupOn is not null) > 5);

        var compared = 0;
        foreach (var (asOf, from, to) in new[]
        {
            (Today, From, Today), (Today, new LocalDate(2026, 6, 1), new LocalDate(2026, 8, 31)),
            (new LocalDate(2026, 10, 1), From, new LocalDate(2026, 10, 1)),
        })
        {
            var known = ReferenceFigures.KnownAt(_plans, asOf);
            foreach (var by in new[] { null, "prison", "provider", "releaseDay", "month", "sex" })
            {
                var url = $"/api/v1/continuity/lapse-reasons?from={from:uuuu-MM-dd}&to={to:uuuu-MM-dd}"
                    + (by is null ? "" : $"&by={by}") + (asOf == Today ? "" : $"&asOf={asOf:uuuu-MM-dd}");
                var report = await _api.GetJsonAsync(url);
                var (total, groups) = ReferenceFigures.LapseTable(known, from, to, by, asOf);
                AssertLapseRow(url, total, report.GetProperty("total"));
                var served = report.GetProperty("groups").EnumerateArray()
                    .ToDictionary(g => g.GetProperty("key").GetString()!);
                foreach (var group in groups)
                {
                    Assert.True(served.Remove(group.Key, out var actual), $"{url}: no group {group.Key}");
                    AssertLapseRow(url, group, actual);
                }

                Assert.All(served.Values, g => Assert.Equal(0, g.GetProperty("released").GetInt32()));
                compared++;
            }
        }

        // Two-way: each cell is the reference's for its row and column, hidden exactly where the continuity table
        // hides it (every table suppresses by releases).
        var shownCells = 0;
        foreach (var (rows, columns) in new[] { ("prison", "releaseDay"), ("month", "provider") })
        {
            var query = $"from={From:uuuu-MM-dd}&to={Today:uuuu-MM-dd}&by={rows},{columns}";
            var lapses = await _api.GetJsonAsync($"/api/v1/continuity/lapse-reasons?{query}");
            var continuity = await _api.GetJsonAsync($"/api/v1/continuity?{query}");
            var known = ReferenceFigures.KnownAt(_plans, Today);
            var continuityCells = continuity.GetProperty("cells").EnumerateArray()
                .SelectMany(r => r.GetProperty("columns").EnumerateArray()
                    .Select(c => ($"{r.GetProperty("key")}/{c.GetProperty("key")}",
                        c.GetProperty("suppressed").GetBoolean())))
                .ToDictionary(c => c.Item1, c => c.Item2);
            foreach (var row in lapses.GetProperty("cells").EnumerateArray())
            {
                var rowKey = row.GetProperty("key").GetString()!;
                foreach (var cell in row.GetProperty("columns").EnumerateArray())
                {
                    var columnKey = cell.GetProperty("key").GetString()!;
                    var url = $"lapse-reasons?{query} [{rowKey}/{columnKey}]";
                    var hidden = cell.GetProperty("suppressed").GetBoolean();
                    Assert.True(continuityCells[$"{rowKey}/{columnKey}"] == hidden, $"{url}: hidden as continuity");
                    if (!hidden)
                    {
                        var journeys = known.Where(j => ReferenceFigures.Key(rows, j) == rowKey
                            && ReferenceFigures.Key(columns, j) == columnKey).ToList();
                        var expected = ReferenceFigures.LapseTable(journeys, From, Today, null, Today, threshold: 1);
                        AssertLapseRow(url, expected.Total with { Key = columnKey }, cell);
                        shownCells++;
                    }

                    compared++;
                }
            }
        }

        Assert.True(shownCells > 10, $"only {shownCells} two-way lapse reason cells shown");
        output.WriteLine($"{compared} lapse reason tables and cells compared, {shownCells} cells shown");
    }

    /// <summary>
    /// The audit export's rows, restated from the generator's facts (the outcome by the reference's rules, the lapse
    /// reason only while not engaged), and the reconciliation's "ours" for every prison and local authority, hidden
    /// exactly where the reference table by that dimension hides the group; today and as of an earlier date.
    /// </summary>
    private async Task AuditExportAndReconciliationMatchAsync()
    {
        var exporter = _service.ClientAs(ServiceFactory.Token(["analyst"], ["OHID"], ["figures:unsuppressed"]));
        var analyst = _service.ClientAs(ServiceFactory.Token("analyst", "LEEDS-PUBLIC-HEALTH"));
        var (rows, areas, hidden) = (0, 0, 0);
        foreach (var (asOf, from, to) in new[]
        {
            (Today, From, Today), (Today, new LocalDate(2026, 6, 1), new LocalDate(2026, 8, 31)),
            (new LocalDate(2026, 10, 1), From, new LocalDate(2026, 10, 1)),
            // A few days: small groups, which the reconciliation must hide as the tables do.
            (Today, new LocalDate(2026, 11, 20), Today), (new LocalDate(2026, 10, 1), new LocalDate(2026, 9, 28),
                new LocalDate(2026, 10, 1)),
        })
        {
            var known = ReferenceFigures.KnownAt(_plans, asOf);
            var cohort = known.Where(j => j.ReleasedOn >= from && j.ReleasedOn <= to).ToList();
            var period = $"from={from:uuuu-MM-dd}&to={to:uuuu-MM-dd}"
                + (asOf == Today ? "" : $"&asOf={asOf:uuuu-MM-dd}");

            var export = await exporter.GetAsync($"/api/v1/continuity/audit-export?{period}");
            Assert.Equal(HttpStatusCode.OK, export.StatusCode);
            var served = (await export.ReadJsonAsync()).GetProperty("journeys").EnumerateArray()
                .Select(r => string.Join("|", new[]
                {
                    "prison", "releasedOn", "localAuthority", "provider", "pickedUpOn", "daysToPickup", "outcome",
                    "exclusionReason", "lapseReason",
                }.Select(f => r.GetProperty(f).ToString())))
                .Order(StringComparer.Ordinal).ToList();
            var expected = cohort.Select(j => ReferenceFigures.AuditRow(j, asOf))
                .Order(StringComparer.Ordinal).ToList();
            Assert.True(expected.Count > 5, $"{period}: only {expected.Count} journeys");
            Assert.Equal(expected, served);
            rows += served.Count;

            foreach (var (by, field) in new[] { ("prison", "prison"), ("localAuthority", "localAuthority") })
            {
                var (_, groups) = ReferenceFigures.Table(known, from, to, by, asOf);
                foreach (var group in groups)
                {
                    var body = new Dictionary<string, object>
                    {
                        ["from"] = $"{from:uuuu-MM-dd}", ["to"] = $"{to:uuuu-MM-dd}", ["asOf"] = $"{asOf:uuuu-MM-dd}",
                        [field] = group.Key, ["published"] = new { releases = 100, pickups = 40 },
                    };
                    var response = await analyst.PostAsync("/api/v1/continuity/reconciliation", Json.Body(body));
                    Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                    var answer = await response.ReadJsonAsync();
                    var where = $"{period} {field}={group.Key}";
                    Assert.True(
                        group.Suppressed == answer.GetProperty("suppressed").GetBoolean(), $"{where}: suppressed");
                    areas++;
                    if (group.Suppressed)
                    {
                        Assert.Equal(JsonValueKind.Null, answer.GetProperty("ours").ValueKind);
                        hidden++;
                        continue;
                    }

                    var journeys = cohort.Where(j => ReferenceFigures.Key(by, j) == group.Key).ToList();
                    int Day(KnownJourney j) => Period.DaysBetween(j.ReleasedOn, j.PickupOn!.Value);
                    var engaged = journeys.Where(j => ReferenceFigures.Outcome(j, asOf) == "engaged").ToList();
                    var ours = answer.GetProperty("ours");
                    var reference = (
                        group.Released, group.Engaged, group.Engaged + group.EngagedLate + group.NotEngaged,
                        group.Pending, group.Excluded, engaged.Count(j => Day(j) == 0),
                        engaged.Count(j => Day(j) == ReferenceFigures.Window), group.Released - 100,
                        group.Engaged - 40);
                    var actual = (
                        ours.GetProperty("releases").GetInt32(), ours.GetProperty("pickups").GetInt32(),
                        ours.GetProperty("counted").GetInt32(), ours.GetProperty("pending").GetInt32(),
                        ours.GetProperty("excluded").GetInt32(), ours.GetProperty("pickedUpOnDay0").GetInt32(),
                        ours.GetProperty("pickedUpOnLastDay").GetInt32(),
                        answer.GetProperty("difference").GetProperty("releases").GetInt32(),
                        answer.GetProperty("difference").GetProperty("pickups").GetInt32());
                    Assert.True(reference == actual, $"{where}:\n expected {reference}\n served   {actual}");
                }
            }
        }

        Assert.True(rows > 2000, $"only {rows} export rows");
        Assert.True(hidden > 0 && hidden < areas, $"{hidden} of {areas} areas hidden");
        output.WriteLine($"{rows} export rows and {areas} reconciliations compared ({hidden} hidden)");
    }

    private static void AssertLapseRow(string url, LapseRow expected, JsonElement actual)
    {
        var where = $"{url} [{expected.Key}]";
        Assert.True(expected.Suppressed == actual.GetProperty("suppressed").GetBoolean(), $"{where}: suppressed");
        if (expected.Suppressed)
        {
            Assert.True(actual.GetProperty("notEngaged").ValueKind == JsonValueKind.Null, $"{where}: counts shown");
            return;
        }

        var reasons = actual.GetProperty("reasons").EnumerateArray()
            .ToDictionary(r => r.GetProperty("reason").GetString()!, r => r.GetProperty("count").GetInt32());
        Assert.Equal(SyntheticJourneys.LapseReasonCodes, reasons.Keys);
        var served = (
            actual.GetProperty("released").GetInt32(), actual.GetProperty("notEngaged").GetInt32(),
            actual.GetProperty("noReason").GetInt32(),
            string.Join(",", reasons.Where(r => r.Value > 0).Select(r => $"{r.Key}={r.Value}")));
        var reference = (
            expected.Released, expected.NotEngaged, expected.NoReason,
            string.Join(",", SyntheticJourneys.LapseReasonCodes.Where(expected.Reasons.ContainsKey)
                .Select(code => $"{code}={expected.Reasons[code]}")));
        Assert.True(reference == served, $"{where}:\n expected {reference}\n served   {served}");
    }

    private async Task CompareAsync(
        IReadOnlyList<KnownJourney> known, LocalDate from, LocalDate to, string? by, LocalDate? asOf)
    {
        var today = asOf ?? Today;
        var url = $"/api/v1/continuity?from={from:uuuu-MM-dd}&to={to:uuuu-MM-dd}"
            + (by is null ? "" : $"&by={by}")
            + (asOf is null ? "" : $"&asOf={asOf:uuuu-MM-dd}");
        var report = await _api.GetJsonAsync(url);
        var (total, groups) = ReferenceFigures.Table(known, from, to, by, today);

        AssertRow(url, total, report.GetProperty("total"));
        var served = report.GetProperty("groups").EnumerateArray().ToDictionary(
            g => g.GetProperty("key").GetString()!);
        foreach (var group in groups)
        {
            Assert.True(served.Remove(group.Key, out var actual), $"{url}: no group {group.Key}");
            AssertRow(url, group, actual);
        }

        // Anything else served is an empty period shown as zeros.
        Assert.All(served.Values, g => Assert.Equal(0, g.GetProperty("released").GetInt32()));
    }

    private static void AssertRow(string url, ReferenceRow expected, JsonElement actual)
    {
        var where = $"{url} [{expected.Key}]";
        Assert.True(expected.Suppressed == actual.GetProperty("suppressed").GetBoolean(), $"{where}: suppressed");
        if (expected.Suppressed)
        {
            Assert.True(
                actual.GetProperty("released").ValueKind == JsonValueKind.Null,
                $"{where}: a suppressed group shows counts");
            return;
        }

        var reasons = actual.GetProperty("excludedByReason");
        var served = new
        {
            released = actual.GetProperty("released").GetInt32(),
            engaged = actual.GetProperty("engaged").GetInt32(),
            late = actual.GetProperty("engagedLate").GetInt32(),
            notEngaged = actual.GetProperty("notEngaged").GetInt32(),
            pending = actual.GetProperty("pending").GetInt32(),
            excluded = actual.GetProperty("excluded").GetInt32(),
            died = reasons.GetProperty("died").GetInt32(),
            deported = reasons.GetProperty("deported").GetInt32(),
            returned = reasons.GetProperty("returnedToCustody").GetInt32(),
            rate = actual.GetProperty("rate").ValueKind == JsonValueKind.Null
                ? (double?)null
                : actual.GetProperty("rate").GetDouble(),
        };
        var reference = new
        {
            released = expected.Released, engaged = expected.Engaged, late = expected.EngagedLate,
            notEngaged = expected.NotEngaged, pending = expected.Pending, excluded = expected.Excluded,
            died = expected.Died, deported = expected.Deported, returned = expected.ReturnedToCustody,
            rate = expected.Rate,
        };
        Assert.True(reference.Equals(served), $"{where}:\n expected {reference}\n served   {served}");
    }
}
