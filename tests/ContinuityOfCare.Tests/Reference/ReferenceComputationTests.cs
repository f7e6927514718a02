using System.Diagnostics;
using System.Text.Json;
using ContinuityOfCare.Samples;
using ContinuityOfCare.Tests.Support;
using NodaTime;
using Xunit.Abstractions;

namespace ContinuityOfCare.Tests.Reference;

/// <summary>
/// Thousands of generated journeys (late-recorded pickups, exits recorded before backdated pickups, redirects,
/// corrected release dates) posted through HTTP day by day, then every table compared with the reference computation,
/// today and as of earlier dates.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class ReferenceComputationTests(PostgresCluster postgres, ITestOutputHelper output) : IAsyncLifetime
{
    private static readonly LocalDate Today = new(2026, 11, 23);
    private static readonly LocalDate From = new(2026, 3, 1);

    private static readonly string[] Dimensions =
    [
        "prison", "localAuthority", "provider", "substanceGroup", "sex", "ageBand", "releaseType", "noFixedAbode",
        "naloxone", "metAtGate", "month", "quarter", "financialYear", "releaseDay",
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
        await LapseReasonTablesMatchAsync();
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

        output.WriteLine($"{compared} lapse reason tables compared");
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
        var served = report.GetProperty("groups").EnumerateArray().ToDictionary(g => g.GetProperty("key").GetString()!);
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
