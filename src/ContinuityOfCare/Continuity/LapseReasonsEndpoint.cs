using System.Text.Json.Serialization;
using ContinuityOfCare.Access;
using ContinuityOfCare.Http;
using ContinuityOfCare.Journeys;
using ContinuityOfCare.Continuity.Cells;
using ContinuityOfCare.Journeys.Lapse;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using NodaTime;
using Wolverine.Http;

namespace ContinuityOfCare.Continuity;

public sealed record LapseReasonCount(LapseReason Reason, int Count);

/// <summary>
/// The not-engaged journeys of a group by the reason recorded for their lapsed window (every reason, in the
/// contract's order, zeros included), and those with none; the share with none is of the not engaged.
/// </summary>
public sealed record LapseReasonGroup(
    [property: JsonPropertyOrder(-2)] string Key,
    int? Released,
    int? NotEngaged,
    IReadOnlyList<LapseReasonCount>? Reasons,
    int? NoReason,
    double? NoReasonShare,
    bool Suppressed) : IAnalystRow<LapseReasonGroup>
{
    /// <summary>The organisation's name when the key is its code (by prison, local authority, provider).</summary>
    [JsonPropertyOrder(-1)]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Name { get; init; }

    public LapseReasonGroup Named(string name) => this with { Name = name };

    public static LapseReasonGroup Of(string key, IReadOnlyList<JourneyFacts> journeys, LocalDate asOf,
        ContinuityRules rules)
    {
        var counts = new int[Enum.GetValues<LapseReason>().Length];
        var (notEngaged, noReason) = (0, 0);
        foreach (var journey in journeys)
        {
            if (ReleaseOutcomes.Classify(journey.Continuity!, asOf, rules).Outcome != ReleaseOutcome.NotEngaged)
            {
                continue;
            }

            notEngaged++;
            if (journey.WhyLapsed is { } why)
            {
                counts[(int)why.Reason]++;
            }
            else
            {
                noReason++;
            }
        }

        return From(key, journeys.Count, counts, noReason);
    }

    /// <summary>The group from its counts of not-engaged journeys per reason (in enum order) and with none.</summary>
    public static LapseReasonGroup From(string key, int released, IReadOnlyList<int> byReason, int noReason)
    {
        var notEngaged = byReason.Sum() + noReason;
        return new LapseReasonGroup(
            key, released, notEngaged,
            Enum.GetValues<LapseReason>().Select(r => new LapseReasonCount(r, byReason[(int)r])).ToList(),
            noReason, notEngaged == 0 ? null : (double)noReason / notEngaged, Suppressed: false);
    }

    public static LapseReasonGroup Hidden(string key) => new(key, null, null, null, null, null, Suppressed: true);

    public IEnumerable<(string, object?)> Cells() =>
        new (string, object?)[] { ("key", Key), ("name", Name), ("released", Released), ("notEngaged", NotEngaged) }
            .Concat(Enum.GetValues<LapseReason>().Select(r => (
                ApiJson.Code(r), (object?)Reasons?.Single(c => c.Reason == r).Count)))
            .Concat([("noReason", NoReason), ("noReasonShare", NoReasonShare), ("suppressed", Suppressed)]);
}

/// <summary>Final once every window in the period has closed: no journey can still become not engaged.</summary>
public sealed record LapseReasonReport(
    LocalDate From, LocalDate To, string? By, int WindowDays, LocalDate AsOf, bool Final, int SuppressionThreshold,
    LapseReasonGroup Total,
    IReadOnlyList<LapseReasonGroup> Groups,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    IReadOnlyList<LapseReasonGroup>? Columns = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    IReadOnlyList<CrossRow<LapseReasonGroup>>? Cells = null) : ITwoWayReport<LapseReasonGroup>;

public static class LapseReasonsEndpoint
{
    /// <summary>Why windows lapsed: the not-engaged journeys released in the period, by recorded reason.</summary>
    [WolverineGet("/api/v1/continuity/lapse-reasons", Summary = "Not-engaged journeys by why their window lapsed")]
    [QueryParameters("from", "to", "by", "asOf", "unsuppressed")]
    [ProducesResponseType<LapseReasonReport>(200)]
    [Authorize(Policy = Roles.Analyst)]
    public static Task<IResult> Get(
        HttpRequest request, IQuerySession session, IClock clock, ContinuityRules rules, ContinuitySettings settings,
        CancellationToken cancellation) =>
        AnalystQuery.AnswerAsync(
            request, session, clock, settings, (query, cohort) => Report(query, cohort, rules), cancellation,
            async query => await FromCellsAsync(query, session, rules, cancellation));

    /// <summary>The same report from the cohort cells, or null when they cannot answer the query.</summary>
    public static async Task<LapseReasonReport?> FromCellsAsync(
        AnalystQuery query, IQuerySession session, ContinuityRules rules, CancellationToken cancellation) =>
        await CohortCellTables.TableAsync(
                query, session, rules, CohortCellTables.LapseRow, LapseReasonGroup.Hidden, cancellation)
            is { } table
            ? Report(query, rules, table)
            : null;

    public static LapseReasonReport Report(
        AnalystQuery query, IReadOnlyList<JourneyFacts> cohort, ContinuityRules rules)
    {
        var table = query.Table(
            cohort, (key, journeys) => LapseReasonGroup.Of(key, journeys, query.AsOf, rules), LapseReasonGroup.Hidden);
        return Report(query, rules, table);
    }

    private static LapseReasonReport Report(
        AnalystQuery query, ContinuityRules rules, AnalystTable<LapseReasonGroup> table) =>
        new(query.From, query.To, query.ByName, rules.Window.Days, query.AsOf,
            ContinuityRateEndpoint.IsFinal(query.To, query.AsOf, rules), query.SuppressionThreshold, table.Total,
            table.Groups, table.Columns, table.Cells);
}
