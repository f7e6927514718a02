using System.Text.Json.Serialization;
using ContinuityOfCare.Continuity.Cells;
using ContinuityOfCare.Http;
using ContinuityOfCare.Access;
using ContinuityOfCare.Journeys;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using NodaTime;
using Wolverine.Http;

namespace ContinuityOfCare.Continuity;

/// <summary>
/// Picked up on <see cref="Day"/> after release, and by then in all, as a share of journeys with a known outcome.
/// </summary>
public sealed record PickupDay(int Day, int PickedUp, int PickedUpByThen, double? ShareByThen);

/// <summary>
/// How long pickups took, for journeys whose outcome is known (the rate's denominator): per day 0..28, then later
/// and never. The share by the window's last day equals the continuity rate. <see cref="Estimate"/> adds the
/// journeys still pending, for the days they have been seen (Kaplan-Meier, days 0 to the window's last).
/// </summary>
public sealed record PickupDistribution(
    [property: JsonPropertyOrder(-2)] string Key, int? Released, int? Known, IReadOnlyList<PickupDay>? Days,
    int? Later,
    int? Never,
    bool Suppressed, PickupEstimate? Estimate = null) : IAnalystRow<PickupDistribution>
{
    /// <summary>The organisation's name when the key is its code (by prison, local authority, provider).</summary>
    [JsonPropertyOrder(-1)]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Name { get; init; }

    public PickupDistribution Named(string name) => this with { Name = name };

    public const int LastDay = 28;

    public static PickupDistribution Of(
        string key, IReadOnlyList<ContinuityFacts> journeys, LocalDate today, ContinuityRules rules)
    {
        var known = journeys
            .Where(j => ReleaseOutcomes.Classify(j, today, rules).Outcome
                is ReleaseOutcome.Engaged or ReleaseOutcome.EngagedLate or ReleaseOutcome.NotEngaged)
            .ToList();
        var pickupDays = known
            .Where(j => j.Pickup is not null)
            .Select(j => ContinuityWindow.DayNumber(j.ReleasedOn, j.Pickup!.Value))
            .CountBy(d => d)
            .ToDictionary();
        var observations = journeys
            .Select(j => KaplanMeier.Observation(j, today, rules))
            .OfType<(int Day, bool PickedUp)>()
            .Select(o => (o.Day, o.PickedUp, 1))
            .ToList();
        return From(key, journeys.Count, known.Count, pickupDays, observations, rules);
    }

    /// <summary>
    /// The row from counts: the releases, those with a known outcome, the known ones' pickups by day after release,
    /// and what the estimate observes (a pickup on a day, or seen without one up to a day), each for so many people.
    /// </summary>
    public static PickupDistribution From(
        string key, int released, int known, IReadOnlyDictionary<int, int> pickupDays,
        IReadOnlyList<(int Day, bool PickedUp, int Count)> observations, ContinuityRules rules)
    {
        var days = new List<PickupDay>(LastDay + 1);
        var byThen = 0;
        for (var day = 0; day <= LastDay; day++)
        {
            var on = pickupDays.GetValueOrDefault(day);
            byThen += on;
            days.Add(new PickupDay(day, on, byThen, known == 0 ? null : (double)byThen / known));
        }

        var observed = observations.Sum(o => o.Count);
        var estimate = new PickupEstimate(
            PickupEstimate.KaplanMeierMethod, PickupEstimate.LogLogBand, observed, observed - known,
            KaplanMeier.EstimateCounted(observations, rules.Window.Days));
        var pickedUp = pickupDays.Values.Sum();
        return new PickupDistribution(
            key, released, known, days, pickupDays.Where(d => d.Key > LastDay).Sum(d => d.Value), known - pickedUp,
            Suppressed: false, estimate);
    }

    public static PickupDistribution Hidden(string key) => new(key, null, null, null, null, null, Suppressed: true);

    public IEnumerable<(string, object?)> Cells() =>
        new (string, object?)[] { ("key", Key), ("name", Name), ("released", Released), ("known", Known) }
            .Concat(Enumerable.Range(0, LastDay + 1).Select(d => ($"day{d}", (object?)Days?[d].PickedUp)))
            .Concat([("later", Later), ("never", Never), ("suppressed", Suppressed)]);
}

public sealed record PickupDistributionReport(
    LocalDate From, LocalDate To, string? By, int WindowDays, LocalDate AsOf, bool Final, int SuppressionThreshold,
    PickupDistribution Total, IReadOnlyList<PickupDistribution> Groups,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    IReadOnlyList<PickupDistribution>? Columns = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    IReadOnlyList<CrossRow<PickupDistribution>>? Cells = null) : ITwoWayReport<PickupDistribution>;

public static class TimeToPickupEndpoint
{
    [WolverineGet(
        "/api/v1/continuity/time-to-pickup",
        Summary = "Share picked up by each day after release, with the estimate counting the pending")]
    [QueryParameters("from", "to", "period", "by", "asOf", "unsuppressed")]
    [ProducesResponseType<PickupDistributionReport>(200)]
    [Authorize(Policy = Roles.Analyst)]
    public static Task<IResult> Get(
        HttpRequest request, IQuerySession session, IClock clock, ContinuityRules rules, ContinuitySettings settings,
        CancellationToken cancellation) =>
        AnalystQuery.AnswerAsync(
            request, session, clock, settings, (query, cohort) => Report(query, cohort, rules), cancellation,
            async query => await FromCellsAsync(query, session, rules, cancellation));

    /// <summary>The same report from the cohort cells, or null when they cannot answer the query.</summary>
    public static async Task<PickupDistributionReport?> FromCellsAsync(
        AnalystQuery query, IQuerySession session, ContinuityRules rules, CancellationToken cancellation) =>
        await CohortCellTables.TableAsync(
                query, session, rules, (key, sums) => sums.PickupRow(key, query.AsOf, rules),
                PickupDistribution.Hidden, cancellation, withPickups: true)
            is { } table
            ? Report(query, rules, table)
            : null;

    public static PickupDistributionReport Report(
        AnalystQuery query, IReadOnlyList<JourneyFacts> cohort, ContinuityRules rules)
    {
        var table = query.Table(
            cohort,
            (key, journeys) => PickupDistribution.Of(
                key, journeys.Select(j => j.Continuity!).ToList(), query.AsOf, rules),
            PickupDistribution.Hidden);
        return Report(query, rules, table);
    }

    private static PickupDistributionReport Report(
        AnalystQuery query, ContinuityRules rules, AnalystTable<PickupDistribution> table) =>
        new(query.From, query.To, query.ByName, rules.Window.Days, query.AsOf,
            ContinuityRateEndpoint.IsFinal(query.To, query.AsOf, rules), query.SuppressionThreshold, table.Total,
            table.Groups, table.Columns, table.Cells);
}
