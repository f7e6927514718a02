using ContinuityOfCare.Access;
using ContinuityOfCare.Http;
using ContinuityOfCare.Journeys;
using ContinuityOfCare.Organisations;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Primitives;
using NodaTime;
using Wolverine.Http;

namespace ContinuityOfCare.Continuity;

/// <summary>The published figure as asked: releases, and of those the pickups within 3 weeks.</summary>
public sealed record PublishedCounts(int? Releases, int? Pickups);

/// <summary>
/// The period as every analyst table takes it (period, or from and to; asOf; unsuppressed), one prison or one
/// local authority, and the published figure to compare with ours.
/// </summary>
public sealed record ReconciliationRequest(
    PublishedCounts? Published,
    string? Period = null,
    LocalDate? From = null,
    LocalDate? To = null,
    LocalDate? AsOf = null,
    string? Prison = null,
    string? LocalAuthority = null,
    bool? Unsuppressed = null)
{
    /// <summary>Far beyond any area's releases in a period; bounds what a typo can ask.</summary>
    public const int MaxCount = 10_000_000;

    /// <summary>
    /// The analyst query (read by <see cref="AnalystQuery.Read"/>, so its fields are checked as the tables' are),
    /// the area and the published figure, or every problem named by its field.
    /// </summary>
    public (AnalystQuery? Query, (AreaKind Kind, string Code)? Area, PublishedFigure? Published,
        ValidationErrors Errors) Read(LocalDate today)
    {
        var asked = new Dictionary<string, StringValues>();
        if (Period is not null)
        {
            asked["period"] = Period;
        }

        foreach (var (name, date) in new[] { ("from", From), ("to", To), ("asOf", AsOf) })
        {
            if (date is { } d)
            {
                asked[name] = d.Iso();
            }
        }

        if (Unsuppressed is { } unsuppressed)
        {
            asked["unsuppressed"] = unsuppressed ? "true" : "false";
        }

        var (query, errors) = AnalystQuery.Read(new QueryCollection(asked), today);
        (AreaKind, string)? area = null;
        if ((Prison is null) == (LocalAuthority is null))
        {
            errors.Add("prison", "give either prison or localAuthority (one of them)");
        }
        else if (Prison is not null)
        {
            errors.Also(e => e.Code("prison", Prison));
            area = (AreaKind.Prison, Prison);
        }
        else
        {
            errors.Also(e => e.Code("localAuthority", LocalAuthority));
            area = (AreaKind.LocalAuthority, LocalAuthority!);
        }

        if (Published is not { } published)
        {
            errors.Add("published", "is required: { releases, pickups }");
            return (null, null, null, errors);
        }

        Count(errors, "published.releases", published.Releases);
        Count(errors, "published.pickups", published.Pickups);
        if (published.Pickups > published.Releases)
        {
            errors.Add("published.pickups", $"must not be more than published.releases ({published.Releases})");
        }

        return errors.Any
            ? (null, null, null, errors)
            : (query, area, new PublishedFigure(published.Releases!.Value, published.Pickups!.Value), errors);
    }

    private static void Count(ValidationErrors errors, string field, int? value)
    {
        if (value is null)
        {
            errors.Add(field, "is required");
        }
        else if (value is < 0 or > MaxCount)
        {
            errors.Add(field, $"must be 0 to {MaxCount}");
        }
    }
}

/// <summary>The comparison for one area and period, with what was asked (see <see cref="Reconciliation"/>).</summary>
public sealed record ReconciliationReport(
    LocalDate From,
    LocalDate To,
    LocalDate AsOf,
    bool Final,
    int WindowDays,
    int NationalWindowDays,
    int SuppressionThreshold,
    Area Area,
    OurFigure? Ours,
    PublishedFigure Published,
    FigureDifference Difference,
    bool Suppressed,
    IReadOnlyList<ExplainedReason> Reasons);

public static class ReconciliationEndpoint
{
    /// <summary>Our figure for a prison or local authority and period beside the published one, and why.</summary>
    [WolverinePost(
        "/api/v1/continuity/reconciliation",
        Summary = "Compare a published continuity figure for a prison or local authority with this service's")]
    [RequestBody(typeof(ReconciliationRequest))]
    [ProducesResponseType<ReconciliationReport>(200)]
    [Authorize(Policy = Roles.Analyst)]
    public static async Task<IResult> Post(
        HttpRequest request, IQuerySession session, IClock clock, ContinuityRules rules, ContinuitySettings settings,
        CancellationToken cancellation)
    {
        var (body, problem) = await RequestBody.ReadAsync<ReconciliationRequest>(request, cancellation);
        if (body is null)
        {
            return problem!;
        }

        var (query, area, published, errors) = body.Read(LondonCalendar.Today(clock));
        if (query is null)
        {
            return Problems.Invalid(errors);
        }

        if (query.RefusalFor(Caller.Of(request.HttpContext)) is { } refusal)
        {
            return Problems.Forbidden(refusal);
        }

        query = query.SuppressedBy(settings) with
        {
            Organisations = await OrganisationsEndpoint.CurrentAsync(session, cancellation),
        };
        var cohort = await query.CohortAsync(session, cancellation);
        return Results.Ok(Report(query, cohort, area!.Value.Kind, area.Value.Code, published!, rules));
    }

    /// <summary>
    /// The comparison for releases in the query's period, from their facts as known on its "as of" date. Our
    /// figure is hidden exactly when the table by prison (or local authority) hides the area's group.
    /// </summary>
    public static ReconciliationReport Report(
        AnalystQuery query, IReadOnlyList<JourneyFacts> cohort, AreaKind kind, string code, PublishedFigure published,
        ContinuityRules rules)
    {
        var dimension = kind == AreaKind.Prison ? Dimension.Prison : Dimension.LocalAuthority;
        var groups = Breakdown.Group(cohort, dimension, query.From, query.To, query.Organisations);
        var journeys = groups.FirstOrDefault(g => g.Key == code).Journeys ?? [];
        var suppressed = Reconciliation.IsSuppressed(
            groups.Select(g => (g.Key, g.Journeys.Count)).ToList(), code, query.SuppressionThreshold);
        var ours = OurFigure.Of(journeys.Select(j => j.Continuity!), query.AsOf, rules);
        var result = Reconciliation.Compare(ours, published, suppressed, kind, rules.Window.Days, query.AsOf);
        var organisation = kind == AreaKind.Prison ? OrganisationKind.Prison : OrganisationKind.LocalAuthority;
        return new ReconciliationReport(
            query.From, query.To, query.AsOf, ContinuityRateEndpoint.IsFinal(query.To, query.AsOf, rules),
            rules.Window.Days, NationalDefinition.NationalWindowDays, query.SuppressionThreshold,
            new Area(kind, code, query.Organisations.NameOf(organisation, code)),
            result.Ours, result.Published, result.Difference, result.Suppressed, result.Reasons);
    }
}
