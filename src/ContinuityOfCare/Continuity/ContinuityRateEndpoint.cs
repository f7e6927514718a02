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

public sealed record ExcludedByReason(int Died, int Deported, int ReturnedToCustody);

public sealed record ContinuityGroup(
    [property: JsonPropertyOrder(-2)] string Key,
    int? Released,
    int? Engaged,
    int? EngagedLate,
    int? NotEngaged,
    int? Pending,
    int? Excluded,
    ExcludedByReason? ExcludedByReason,
    double? Rate,
    bool Suppressed) : IAnalystRow<ContinuityGroup>
{
    /// <summary>The organisation's name when the key is its code (by prison, local authority, provider).</summary>
    [JsonPropertyOrder(-1)]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Name { get; init; }

    public ContinuityGroup Named(string name) => this with { Name = name };

    public static ContinuityGroup From(string key, ContinuityTally tally) => new(
        key, tally.Released, tally.Engaged, tally.EngagedLate, tally.NotEngaged, tally.Pending, tally.Excluded,
        new ExcludedByReason(tally.ExcludedDied, tally.ExcludedDeported, tally.ExcludedReturnedToCustody),
        tally.Rate, Suppressed: false);

    public static ContinuityGroup Hidden(string key) =>
        new(key, null, null, null, null, null, null, null, null, Suppressed: true);

    public IEnumerable<(string, object?)> Cells() =>
    [
        ("key", Key), ("name", Name), ("released", Released), ("engaged", Engaged), ("engagedLate", EngagedLate),
        ("notEngaged", NotEngaged), ("pending", Pending), ("excluded", Excluded), ("rate", Rate),
        ("suppressed", Suppressed),
        ("excludedDied", ExcludedByReason?.Died), ("excludedDeported", ExcludedByReason?.Deported),
        ("excludedReturnedToCustody", ExcludedByReason?.ReturnedToCustody),
    ];
}

/// <summary>
/// Continuity figures for releases in [From, To] as they stand on <see cref="AsOf"/>. Final once every window in
/// the period has closed; provisional before, because pending journeys can still be picked up.
/// </summary>
public sealed record ContinuityReport(
    LocalDate From,
    LocalDate To,
    string? By,
    int WindowDays,
    LocalDate AsOf,
    bool Final,
    int SuppressionThreshold,
    ContinuityGroup Total,
    IReadOnlyList<ContinuityGroup> Groups,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    IReadOnlyList<ContinuityGroup>? Columns = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    IReadOnlyList<CrossRow<ContinuityGroup>>? Cells = null) : ITwoWayReport<ContinuityGroup>;

public static class ContinuityRateEndpoint
{
    [WolverineGet(
        "/api/v1/continuity",
        Summary = "Continuity rate: released people who start community treatment within the window")]
    [QueryParameters("from", "to", "period", "by", "asOf", "unsuppressed")]
    [ProducesResponseType<ContinuityReport>(200)]
    [Authorize(Policy = Roles.Analyst)]
    public static Task<IResult> Get(
        HttpRequest request, IQuerySession session, IClock clock, ContinuityRules rules, ContinuitySettings settings,
        CancellationToken cancellation) =>
        AnalystQuery.AnswerAsync(
            request, session, clock, settings, (query, cohort) => Report(query, cohort, rules), cancellation,
            async query => await FromCellsAsync(query, session, rules, cancellation));

    /// <summary>
    /// The report for releases in the query's period, from their facts as known on its "as of" date.
    /// </summary>
    public static ContinuityReport Report(
        AnalystQuery query, IReadOnlyList<JourneyFacts> cohort, ContinuityRules rules)
    {
        var table = query.Table(
            cohort,
            (key, journeys) => ContinuityGroup.From(key, ContinuityTally.Of(
                journeys.Select(j => ReleaseOutcomes.Classify(j.Continuity!, query.AsOf, rules)))),
            ContinuityGroup.Hidden);
        return Report(query, rules, table);
    }

    /// <summary>The same report from the cohort cells, or null when they cannot answer the query.</summary>
    public static async Task<ContinuityReport?> FromCellsAsync(
        AnalystQuery query, IQuerySession session, ContinuityRules rules, CancellationToken cancellation) =>
        await CohortCellTables.TableAsync(
                query, session, rules, CohortCellTables.ContinuityRow, ContinuityGroup.Hidden, cancellation)
            is { } table
            ? Report(query, rules, table)
            : null;

    private static ContinuityReport Report(
        AnalystQuery query, ContinuityRules rules, AnalystTable<ContinuityGroup> table) =>
        new(query.From, query.To, query.ByName, rules.Window.Days, query.AsOf, IsFinal(query.To, query.AsOf, rules),
            query.SuppressionThreshold, table.Total, table.Groups, table.Columns, table.Cells);

    /// <summary>
    /// Final once the window of the period's last release date has closed: no pending journey is left.
    /// </summary>
    public static bool IsFinal(LocalDate lastReleaseDate, LocalDate asOf, ContinuityRules rules) =>
        !rules.Window.IsOpenOn(lastReleaseDate, asOf);
}
