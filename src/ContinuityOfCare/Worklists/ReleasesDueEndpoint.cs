using ContinuityOfCare.Access;
using ContinuityOfCare.Continuity;
using ContinuityOfCare.Http;
using ContinuityOfCare.Journeys;
using ContinuityOfCare.Organisations;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using NodaTime;
using Wolverine.Http;

namespace ContinuityOfCare.Worklists;

/// <summary>
/// <see cref="ReleaseDay"/>: a Friday, weekend or pre-bank-holiday release is harder to pick up (null when the bank
/// holiday list does not reach the date).
/// </summary>
public sealed record ReleaseDueItem(
    Guid JourneyId,
    string JourneyRef,
    string PersonRef,
    LocalDate ReleaseScheduledOn,
    int DaysUntilRelease,
    string? Provider,
    HandoverStatus? HandoverStatus,
    ReleaseDay? ReleaseDay = null)
{
    /// <summary>
    /// The provider's name in the directory ("unknown" for a code it lacks); null when not referred.
    /// </summary>
    public string? ProviderName { get; init; }
}

/// <summary>
/// <see cref="Releases"/> holds the page asked for (all when <see cref="PageSize"/> is null) of the
/// <see cref="Total"/> due.
/// </summary>
public sealed record ReleasesDue(string PrisonCode, LocalDate AsOf, int Days, IReadOnlyList<ReleaseDueItem> Releases)
{
    /// <summary>The prison's name in the organisation directory, or "unknown".</summary>
    public string? PrisonName { get; init; }

    /// <summary>How many are due, up to <see cref="WorklistPage.CountLimit"/>.</summary>
    public int Total { get; init; }

    /// <summary>True when more than <see cref="Total"/> are due: the count stopped at its limit.</summary>
    public bool MoreThanTotal { get; init; }

    public int Page { get; init; } = 1;

    public int? PageSize { get; init; }
}

public static class ReleasesDueEndpoint
{
    public const int DefaultDays = 14;

    /// <summary>
    /// A prison's people due for release in the next <c>days</c> (default 14) whose handover no provider has
    /// acknowledged yet: not referred, awaiting acknowledgement, or declined. Soonest first; paged by the database
    /// (<c>page</c>, <c>pageSize</c>).
    /// </summary>
    [WolverineGet(
        "/api/v1/prisons/{prisonCode}/releases-due",
        Summary = "People due out soon whose handover no provider has acknowledged")]
    [QueryParameters("days", "page", "pageSize")]
    [ProducesResponseType<ReleasesDue>(200)]
    [Authorize(Policy = Roles.Prison)]
    public static async Task<IResult> Get(
        string prisonCode, HttpRequest request, IQuerySession session, IClock clock, CancellationToken cancellation)
    {
        var errors = new ValidationErrors().Also(e => e.Code("prisonCode", prisonCode));
        var days = DefaultDays;
        if (request.Query.ContainsKey("days")
            && (!int.TryParse(request.Query["days"], out days) || days is < 0 or > 366))
        {
            errors.Add("days", "must be a whole number of days from 0 to 366");
        }

        var page = WorklistPage.Read(request.Query, errors);

        if (errors.Any)
        {
            return Problems.Invalid(errors);
        }

        if (!Caller.Of(request.HttpContext).IsPrisonTeamOf(prisonCode))
        {
            return Problems.Forbidden($"Only {prisonCode}'s prison healthcare team sees its releases.");
        }

        return Results.Ok(
            await DueAsync(prisonCode, days, page, session, LondonCalendar.Today(clock), cancellation));
    }

    /// <summary>The releases due at a prison whose team the caller has been checked to be.</summary>
    public static async Task<ReleasesDue> DueAsync(
        string prisonCode,
        int days,
        WorklistPage page,
        IQuerySession session,
        LocalDate today,
        CancellationToken cancellation)
    {
        var (journeys, counts) = await WorklistPage.ReadAsync(
            session, Journeys(session, prisonCode, today, days, page), [Due(session, prisonCode, today, days)],
            cancellation);
        var counted = counts.Single();
        var names = await OrganisationsEndpoint.CurrentAsync(session, cancellation);
        var items = journeys
            .Select(j => new ReleaseDueItem(
                j.Id, j.JourneyRef, j.PersonRef, j.ReleaseDueOn!.Value,
                Period.DaysBetween(today, j.ReleaseDueOn.Value),
                j.Facts.Handover?.Provider, j.Facts.Handover?.Status,
                ReleaseDays.IfKnown(j.ReleaseDueOn.Value))
            {
                ProviderName = j.Facts.Handover?.Provider is { } p ? names.NameOf(OrganisationKind.Provider, p) : null,
            })
            .ToList();
        return new ReleasesDue(prisonCode, today, days, items)
        {
            PrisonName = names.NameOf(OrganisationKind.Prison, prisonCode),
            Total = counted.Total,
            MoreThanTotal = counted.More,
            Page = page.Number,
            PageSize = page.Take,
        };
    }

    /// <summary>
    /// The page's journeys, soonest first, then by journey reference, ordinally: the one SQL statement behind a page,
    /// a range of the (prison, release_due_on) index (<see cref="JourneysModule.ReleasesDueIndex"/>).
    /// </summary>
    public static IQueryable<Journey> Journeys(
        IQuerySession session, string prisonCode, LocalDate today, int days, WorklistPage page) =>
        page.Of(Due(session, prisonCode, today, days)
            .OrderBySql("d.release_due_on, d.data ->> 'journeyRef' COLLATE \"C\""));

    private static IQueryable<Journey> Due(IQuerySession session, string prisonCode, LocalDate today, int days)
    {
        var until = today.PlusDays(days);
        return session.Query<Journey>()
            .Where(j => j.Facts.PrisonCode == prisonCode && j.ReleaseDueOn >= today && j.ReleaseDueOn <= until
                        && (j.Facts.Handover == null || j.Facts.Handover.Status != HandoverStatus.Acknowledged));
    }
}
