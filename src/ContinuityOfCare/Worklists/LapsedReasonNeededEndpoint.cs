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

/// <summary>
/// The "lapsed, reason needed" list of a provider or a prison: <see cref="Journeys"/> holds the page asked for (all
/// when <see cref="PageSize"/> is null) of the <see cref="Total"/> on the list.
/// </summary>
public sealed record LapsedReasonNeeded(
    string Organisation, LocalDate AsOf, int WindowDays, IReadOnlyList<LapsedWorkItem> Journeys)
{
    /// <summary>The provider's or prison's name in the organisation directory, or "unknown".</summary>
    public string? OrganisationName { get; init; }

    /// <summary>How many are on the list, up to <see cref="WorklistPage.CountLimit"/>.</summary>
    public int Total { get; init; }

    /// <summary>True when more than <see cref="Total"/> are on the list: the count stopped at its limit.</summary>
    public bool MoreThanTotal { get; init; }

    public int Page { get; init; } = 1;

    public int? PageSize { get; init; }
}

public static class LapsedReasonNeededEndpoint
{
    /// <summary>
    /// Journeys handed over to the provider whose window closed without a pickup and that have no lapse reason yet,
    /// most recently closed first. Recording the reason (POST .../lapse-reason) takes a journey off the list. Paged
    /// by the database (<c>page</c>, <c>pageSize</c>).
    /// </summary>
    [WolverineGet(
        "/api/v1/providers/{provider}/lapsed-reason-needed",
        Summary = "A provider's lapsed windows with no reason recorded yet")]
    [QueryParameters("page", "pageSize")]
    [ProducesResponseType<LapsedReasonNeeded>(200)]
    [Authorize(Policy = Roles.Provider)]
    public static async Task<IResult> GetForProvider(
        string provider, HttpContext http, IQuerySession session, IClock clock, ContinuityRules rules,
        CancellationToken cancellation)
    {
        var errors = new ValidationErrors().Also(e => e.Code("provider", provider));
        var page = WorklistPage.Read(http.Request.Query, errors);
        if (errors.Any)
        {
            return Problems.Invalid(errors);
        }

        if (!Caller.Of(http).IsProviderOf(provider))
        {
            return Problems.Forbidden($"Only {provider}'s staff see its journeys.");
        }

        return Results.Ok(
            await ListAsync(
                provider, OrganisationKind.Provider, page, session, LondonCalendar.Today(clock), rules, cancellation));
    }

    /// <summary>The same for the prison that released the people.</summary>
    [WolverineGet(
        "/api/v1/prisons/{prisonCode}/lapsed-reason-needed",
        Summary = "A prison's lapsed windows with no reason recorded yet")]
    [QueryParameters("page", "pageSize")]
    [ProducesResponseType<LapsedReasonNeeded>(200)]
    [Authorize(Policy = Roles.Prison)]
    public static async Task<IResult> GetForPrison(
        string prisonCode, HttpContext http, IQuerySession session, IClock clock, ContinuityRules rules,
        CancellationToken cancellation)
    {
        var errors = new ValidationErrors().Also(e => e.Code("prisonCode", prisonCode));
        var page = WorklistPage.Read(http.Request.Query, errors);
        if (errors.Any)
        {
            return Problems.Invalid(errors);
        }

        if (!Caller.Of(http).IsPrisonTeamOf(prisonCode))
        {
            return Problems.Forbidden($"Only {prisonCode}'s prison healthcare team sees its releases.");
        }

        return Results.Ok(
            await ListAsync(
                prisonCode, OrganisationKind.Prison, page, session, LondonCalendar.Today(clock), rules, cancellation));
    }

    /// <summary>
    /// The page's journeys, most recently closed first, then by journey reference, ordinally: the one SQL statement
    /// behind a page, a range of the organisation's lapsed index (<see cref="JourneysModule.PrisonLapsedIndex"/>,
    /// <see cref="JourneysModule.ProviderLapsedIndex"/>).
    /// </summary>
    public static IQueryable<Journey> Journeys(
        IQuerySession session,
        string organisation,
        OrganisationKind kind,
        LocalDate today,
        ContinuityRules rules,
        WorklistPage page) =>
        page.Of(Lapsed(session, organisation, kind, today, rules)
            .OrderBySql("d.unexplained_release_on DESC, d.data ->> 'journeyRef' COLLATE \"C\""));

    /// <summary>
    /// The database's reading of <see cref="RecordLapseReasonEndpoint.ReasonNeeded"/>: released with no pickup and no
    /// reason, the window closed, and no exit the rules count within it.
    /// </summary>
    private static IQueryable<Journey> Lapsed(
        IQuerySession session, string organisation, OrganisationKind kind, LocalDate today, ContinuityRules rules)
    {
        var closedBefore = rules.Window.OpenForReleasesFrom(today);
        var days = rules.Window.Days;
        var journeys = kind == OrganisationKind.Provider
            ? session.Query<Journey>().Where(j => j.Facts.Handover!.Provider == organisation
                                                  && j.Facts.Handover.Status != HandoverStatus.Declined)
            : session.Query<Journey>().Where(j => j.Facts.PrisonCode == organisation);
        journeys = journeys.Where(j => j.UnexplainedReleaseOn < closedBefore);
        // An exit within the window (days 0 to the window's length) excludes the journey when the rules count it.
        if (rules.Exclusions.Died)
        {
            journeys = journeys.Where(j => j.DaysToExits!.Died == null || j.DaysToExits.Died < 0
                                           || j.DaysToExits.Died > days);
        }

        if (rules.Exclusions.Deported)
        {
            journeys = journeys.Where(j => j.DaysToExits!.Deported == null || j.DaysToExits.Deported < 0
                                           || j.DaysToExits.Deported > days);
        }

        if (rules.Exclusions.ReturnedToCustody)
        {
            journeys = journeys.Where(j => j.DaysToExits!.ReturnedToCustody == null
                                           || j.DaysToExits.ReturnedToCustody < 0
                                           || j.DaysToExits.ReturnedToCustody > days);
        }

        return journeys;
    }

    /// <summary>
    /// The list of a provider the caller has been checked to act for, or of a prison whose team they have been
    /// checked to be.
    /// </summary>
    public static async Task<LapsedReasonNeeded> ListAsync(
        string organisation,
        OrganisationKind kind,
        WorklistPage page,
        IQuerySession session,
        LocalDate today,
        ContinuityRules rules,
        CancellationToken cancellation)
    {
        var (journeys, counts) = await WorklistPage.ReadAsync(
            session, Journeys(session, organisation, kind, today, rules, page),
            [Lapsed(session, organisation, kind, today, rules)], cancellation);
        var counted = counts.Single();
        var names = await OrganisationsEndpoint.CurrentAsync(session, cancellation);
        var items = journeys
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
            .ToList();
        return new LapsedReasonNeeded(organisation, today, rules.Window.Days, items)
        {
            OrganisationName = names.NameOf(kind, organisation),
            Total = counted.Total,
            MoreThanTotal = counted.More,
            Page = page.Number,
            PageSize = page.Take,
        };
    }
}
