using ContinuityOfCare.Access;
using ContinuityOfCare.Continuity;
using ContinuityOfCare.Http;
using ContinuityOfCare.Journeys;
using ContinuityOfCare.Journeys.Lapse;
using ContinuityOfCare.Organisations;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using NodaTime;
using Wolverine.Http;

namespace ContinuityOfCare.Worklists;

/// <summary>A journey whose window closed without a pickup and with no reason recorded yet.</summary>
public sealed record LapsedWorkItem(
    Guid JourneyId,
    string JourneyRef,
    string PersonRef,
    string PrisonCode,
    string? Provider,
    HandoverStatus? HandoverStatus,
    LocalDate ReleasedOn,
    ReleaseDay? ReleaseDay,
    LocalDate WindowLastDay,
    int DaysSinceWindowClosed)
{
    /// <summary>The releasing prison's name in the organisation directory, or "unknown".</summary>
    public string? PrisonName { get; init; }

    /// <summary>The provider's name ("unknown" for a code the directory lacks); null when never referred.</summary>
    public string? ProviderName { get; init; }
}

/// <summary>The "lapsed, reason needed" list of a provider or a prison.</summary>
public sealed record LapsedReasonNeeded(
    string Organisation, LocalDate AsOf, int WindowDays, IReadOnlyList<LapsedWorkItem> Journeys)
{
    /// <summary>The provider's or prison's name in the organisation directory, or "unknown".</summary>
    public string? OrganisationName { get; init; }
}

public static class LapsedReasonNeededEndpoint
{
    /// <summary>
    /// Journeys handed over to the provider whose window closed without a pickup and that have no lapse reason yet,
    /// most recently closed first. Recording the reason (POST .../lapse-reason) takes a journey off the list.
    /// </summary>
    [WolverineGet(
        "/api/v1/providers/{provider}/lapsed-reason-needed",
        Summary = "A provider's lapsed windows with no reason recorded yet")]
    [ProducesResponseType<LapsedReasonNeeded>(200)]
    [Authorize(Policy = Roles.Provider)]
    public static async Task<IResult> GetForProvider(
        string provider, HttpContext http, IQuerySession session, IClock clock, ContinuityRules rules,
        CancellationToken cancellation)
    {
        var errors = new ValidationErrors().Also(e => e.Code("provider", provider));
        if (errors.Any)
        {
            return Problems.Invalid(errors);
        }

        if (!Caller.Of(http).IsProviderOf(provider))
        {
            return Problems.Forbidden($"Only {provider}'s staff see its journeys.");
        }

        return Results.Ok(await ForProviderAsync(provider, session, LondonCalendar.Today(clock), rules, cancellation));
    }

    /// <summary>The same for the prison that released the people.</summary>
    [WolverineGet(
        "/api/v1/prisons/{prisonCode}/lapsed-reason-needed",
        Summary = "A prison's lapsed windows with no reason recorded yet")]
    [ProducesResponseType<LapsedReasonNeeded>(200)]
    [Authorize(Policy = Roles.Prison)]
    public static async Task<IResult> GetForPrison(
        string prisonCode, HttpContext http, IQuerySession session, IClock clock, ContinuityRules rules,
        CancellationToken cancellation)
    {
        var errors = new ValidationErrors().Also(e => e.Code("prisonCode", prisonCode));
        if (errors.Any)
        {
            return Problems.Invalid(errors);
        }

        if (!Caller.Of(http).IsPrisonTeamOf(prisonCode))
        {
            return Problems.Forbidden($"Only {prisonCode}'s prison healthcare team sees its releases.");
        }

        return Results.Ok(await ForPrisonAsync(prisonCode, session, LondonCalendar.Today(clock), rules, cancellation));
    }

    /// <summary>The list of a provider the caller has been checked to act for.</summary>
    public static async Task<LapsedReasonNeeded> ForProviderAsync(
        string provider, IQuerySession session, LocalDate today, ContinuityRules rules, CancellationToken cancellation)
    {
        // Windows of releases before this date have closed: the database leaves out the open ones, and those with a
        // reason or a pickup, before the rules decide (exits) in memory.
        var closedBefore = rules.Window.OpenForReleasesFrom(today);
        var journeys = await session.Query<Journey>()
            .Where(j => j.Facts.Handover!.Provider == provider && j.ReleasedOn < closedBefore
                        && j.Facts.CommunityTreatmentStartedOn == null && j.Facts.WhyLapsed == null)
            .ToListAsync(cancellation);
        return List(
            provider, OrganisationKind.Provider, journeys.Where(j => j.Facts.HandedOverTo == provider),
            await OrganisationsEndpoint.CurrentAsync(session, cancellation), today, rules);
    }

    /// <summary>The list of a prison whose team the caller has been checked to be.</summary>
    public static async Task<LapsedReasonNeeded> ForPrisonAsync(
        string prisonCode, IQuerySession session, LocalDate today, ContinuityRules rules,
        CancellationToken cancellation)
    {
        var closedBefore = rules.Window.OpenForReleasesFrom(today);
        var journeys = await session.Query<Journey>()
            .Where(j => j.Facts.PrisonCode == prisonCode && j.ReleasedOn < closedBefore
                        && j.Facts.CommunityTreatmentStartedOn == null && j.Facts.WhyLapsed == null)
            .ToListAsync(cancellation);
        return List(
            prisonCode, OrganisationKind.Prison, journeys,
            await OrganisationsEndpoint.CurrentAsync(session, cancellation), today, rules);
    }

    private static LapsedReasonNeeded List(
        string organisation, OrganisationKind kind, IEnumerable<Journey> journeys, OrganisationDirectory names,
        LocalDate today, ContinuityRules rules)
    {
        var items = journeys
            .Where(j => RecordLapseReasonEndpoint.ReasonNeeded(j.Facts, today, rules))
            .Select(j =>
            {
                var released = j.Facts.Release!.ReleasedOn;
                var lastDay = rules.Window.LastDay(released);
                return new LapsedWorkItem(
                    j.Id, j.JourneyRef, j.PersonRef, j.Facts.PrisonCode, j.Facts.Handover?.Provider,
                    j.Facts.Handover?.Status, released, ReleaseDays.IfKnown(released), lastDay,
                    Period.DaysBetween(lastDay, today))
                {
                    PrisonName = names.NameOf(OrganisationKind.Prison, j.Facts.PrisonCode),
                    ProviderName = j.Facts.Handover?.Provider is { } p
                        ? names.NameOf(OrganisationKind.Provider, p)
                        : null,
                };
            })
            .OrderByDescending(i => i.WindowLastDay)
            .ThenBy(i => i.JourneyRef, StringComparer.Ordinal)
            .ToList();
        return new LapsedReasonNeeded(organisation, today, rules.Window.Days, items)
        {
            OrganisationName = names.NameOf(kind, organisation),
        };
    }
}
