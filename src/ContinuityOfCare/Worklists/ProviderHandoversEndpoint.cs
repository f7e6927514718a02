using ContinuityOfCare.Access;
using ContinuityOfCare.Continuity;
using ContinuityOfCare.Http;
using ContinuityOfCare.Journeys;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using NodaTime;
using Wolverine.Http;

namespace ContinuityOfCare.Worklists;

/// <summary>
/// One handover in a provider's inbox, with what makes it urgent. <see cref="ReleaseDay"/> is that of the release (or
/// the planned release): null when there is neither, or when the bank holiday list does not reach its date.
/// </summary>
public sealed record HandoverWorkItem(
    Guid JourneyId,
    string JourneyRef,
    string PersonRef,
    string PrisonCode,
    Journeys.SubstanceGroup SubstanceGroup,
    HandoverStatus Status,
    LocalDate HandedOverOn,
    LocalDate? FirstAppointmentOn,
    LocalDate? ReleaseScheduledOn,
    LocalDate? ReleasedOn,
    int? DaysSinceRelease,
    LocalDate? WindowLastDay,
    int? DaysLeftInWindow,
    bool Lapsed,
    int MissedAppointments,
    ReleaseDay? ReleaseDay = null);

public sealed record HandoverInbox(
    string Provider, LocalDate AsOf, int WindowDays, IReadOnlyList<HandoverWorkItem> Handovers);

public static class ProviderHandoversEndpoint
{
    /// <summary>
    /// Handovers with the provider that have not turned into a pickup yet: awaiting acknowledgement, or acknowledged
    /// with no treatment start. Released people come first, fewest days left in the window first; lapsed ones (window
    /// closed, no pickup) stay on the list, because a late pickup is still worth making.
    /// </summary>
    [WolverineGet("/api/v1/providers/{provider}/handovers", Summary = "A provider's open handovers, live ones first")]
    [ProducesResponseType<HandoverInbox>(200)]
    [Authorize(Policy = Roles.Provider)]
    public static async Task<IResult> Get(
        string provider,
        HttpContext http,
        IQuerySession session,
        IClock clock,
        ContinuityRules rules,
        CancellationToken cancellation)
    {
        var errors = new ValidationErrors().Also(e => e.Code("provider", provider));
        if (errors.Any)
        {
            return Problems.Invalid(errors);
        }

        if (!Caller.Of(http).IsProviderOf(provider))
        {
            return Problems.Forbidden($"Only {provider}'s staff see its handovers.");
        }

        return Results.Ok(await InboxAsync(provider, session, LondonCalendar.Today(clock), rules, cancellation));
    }

    /// <summary>The inbox of a provider the caller has been checked to act for.</summary>
    public static async Task<HandoverInbox> InboxAsync(
        string provider, IQuerySession session, LocalDate today, ContinuityRules rules, CancellationToken cancellation)
    {
        var journeys = await session.Query<Journey>()
            .Where(j => j.Facts.Handover!.Provider == provider && j.Facts.CommunityTreatmentStartedOn == null)
            .ToListAsync(cancellation);

        var items = journeys
            .Where(j => j.Facts.HandedOverTo == provider && !j.Facts.IsClosed)
            .Select(j => Item(j, today, rules))
            .OrderBy(i => i.ReleasedOn is null)
            .ThenBy(i => i.DaysLeftInWindow)
            .ThenBy(i => i.ReleasedOn ?? i.ReleaseScheduledOn)
            .ThenBy(i => i.JourneyRef, StringComparer.Ordinal)
            .ToList();
        return new HandoverInbox(provider, today, rules.Window.Days, items);
    }

    public static HandoverWorkItem Item(Journey journey, LocalDate today, ContinuityRules rules)
    {
        var facts = journey.Facts;
        var handover = facts.Handover!;
        var released = facts.Release?.ReleasedOn;
        return new HandoverWorkItem(
            journey.Id, journey.JourneyRef, journey.PersonRef, facts.PrisonCode, facts.SubstanceGroup, handover.Status,
            handover.HandedOverOn,
            handover.FirstAppointmentOn, facts.ReleaseScheduledOn, released,
            released is { } r ? ContinuityWindow.DayNumber(r, today) : null,
            released is { } w ? rules.Window.LastDay(w) : null,
            released is { } d ? rules.Window.DaysLeft(d, today) : null,
            released is { } l && !rules.Window.IsOpenOn(l, today),
            facts.AppointmentsMissed.Count,
            (released ?? facts.ReleaseScheduledOn) is { } on ? ReleaseDays.IfKnown(on) : null);
    }
}
