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

public sealed record RetentionGroup(
    [property: JsonPropertyOrder(-2)] string Key, int? Released, int? EngagedInWindow, int? Retained, int? NotRetained,
    int? Pending, double? Rate,
    bool Suppressed) : IAnalystRow<RetentionGroup>
{
    /// <summary>The organisation's name when the key is its code (by prison, local authority, provider).</summary>
    [JsonPropertyOrder(-1)]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Name { get; init; }

    public RetentionGroup Named(string name) => this with { Name = name };

    public static RetentionGroup From(string key, int released, RetentionTally tally) =>
        new(key, released, tally.Cohort, tally.Retained, tally.NotRetained, tally.Pending, tally.Rate,
            Suppressed: false);

    public static RetentionGroup Hidden(string key) => new(key, null, null, null, null, null, null, Suppressed: true);

    public IEnumerable<(string, object?)> Cells() =>
    [
        ("key", Key), ("name", Name), ("released", Released), ("engagedInWindow", EngagedInWindow),
        ("retained", Retained),
        ("notRetained", NotRetained), ("pending", Pending), ("rate", Rate), ("suppressed", Suppressed),
    ];
}

/// <summary>Final once every release in the period has passed its retention horizon.</summary>
public sealed record RetentionReport(
    LocalDate From, LocalDate To, string? By, int WindowDays, int RetentionDays, LocalDate AsOf, bool Final,
    int SuppressionThreshold, RetentionGroup Total, IReadOnlyList<RetentionGroup> Groups,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    IReadOnlyList<RetentionGroup>? Columns = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    IReadOnlyList<CrossRow<RetentionGroup>>? Cells = null) : ITwoWayReport<RetentionGroup>;

public static class RetentionEndpoint
{
    [WolverineGet("/api/v1/retention", Summary = "Retention: people engaged within the window who stay in treatment")]
    [QueryParameters("from", "to", "period", "by", "asOf", "unsuppressed")]
    [ProducesResponseType<RetentionReport>(200)]
    [Authorize(Policy = Roles.Analyst)]
    public static Task<IResult> Get(
        HttpRequest request, IQuerySession session, IClock clock, ContinuityRules rules, ContinuitySettings settings,
        CancellationToken cancellation) =>
        AnalystQuery.AnswerAsync(
            request, session, clock, settings, (query, cohort) => Report(query, cohort, rules), cancellation,
            async query => await FromCellsAsync(query, session, rules, cancellation));

    /// <summary>The same report from the cohort cells, or null when they cannot answer the query.</summary>
    public static async Task<RetentionReport?> FromCellsAsync(
        AnalystQuery query, IQuerySession session, ContinuityRules rules, CancellationToken cancellation) =>
        await CohortCellTables.TableAsync(
                query, session, rules, CohortCellTables.RetentionRow, RetentionGroup.Hidden, cancellation)
            is { } table
            ? Report(query, rules, table)
            : null;

    public static RetentionReport Report(AnalystQuery query, IReadOnlyList<JourneyFacts> cohort, ContinuityRules rules)
    {
        var table = query.Table(
            cohort,
            (key, journeys) => RetentionGroup.From(
                key, journeys.Count, RetentionTally.Of(
                    journeys.Select(j => Retention.Classify(j.Continuity!, query.AsOf, rules)))),
            RetentionGroup.Hidden);
        return Report(query, rules, table);
    }

    private static RetentionReport Report(
        AnalystQuery query, ContinuityRules rules, AnalystTable<RetentionGroup> table) =>
        new(query.From, query.To, query.ByName, rules.Window.Days, rules.RetentionDays, query.AsOf,
            query.AsOf > Retention.Horizon(query.To, rules), query.SuppressionThreshold, table.Total, table.Groups,
            table.Columns, table.Cells);
}
