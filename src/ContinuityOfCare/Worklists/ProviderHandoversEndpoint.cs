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
    ReleaseDay? ReleaseDay = null)
{
    /// <summary>The releasing prison's name in the organisation directory, or "unknown".</summary>
    public string? PrisonName { get; init; }
}

/// <summary>
/// A provider's handovers as asked (filter, part of a journey reference, a page), with how many each filter shows.
/// <see cref="PageSize"/> is null when no page was asked for: then <see cref="Handovers"/> holds them all.
/// </summary>
public sealed record HandoverInbox(
    string Provider,
    LocalDate AsOf,
    int WindowDays,
    IReadOnlyList<HandoverWorkItem> Handovers,
    InboxFilter Filter,
    string? Ref,
    int Total,
    int Page,
    int? PageSize,
    InboxCounts Counts)
{
    /// <summary>The provider's name in the organisation directory, or "unknown".</summary>
    public string? ProviderName { get; init; }

    /// <summary>True when the filter shows more than <see cref="Total"/>: the count stopped at its limit.</summary>
    public bool MoreThanTotal => Counts.IsMoreThan(Filter);
}

public static class ProviderHandoversEndpoint
{
    /// <summary>
    /// Handovers with the provider that have not turned into a pickup yet: awaiting acknowledgement, or acknowledged
    /// with no treatment start. Released people come first, fewest days left in the window first; lapsed ones (window
    /// closed, no pickup) stay on the list, because a late pickup is still worth making.
    /// Filters (<c>filter</c>, <c>ref</c>) and pages (<c>page</c>, <c>pageSize</c>) are answered by the database.
    /// </summary>
    [WolverineGet("/api/v1/providers/{provider}/handovers", Summary = "A provider's open handovers, live ones first")]
    [QueryParameters("filter", "ref", "page", "pageSize")]
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
        var query = Read(http.Request.Query, errors);
        if (errors.Any)
        {
            return Problems.Invalid(errors);
        }

        if (!Caller.Of(http).IsProviderOf(provider))
        {
            return Problems.Forbidden($"Only {provider}'s staff see its handovers.");
        }

        return Results.Ok(
            await InboxAsync(provider, query, session, LondonCalendar.Today(clock), rules, cancellation));
    }

    /// <summary>
    /// The inbox query from <c>filter</c>, <c>ref</c>, <c>page</c> and <c>pageSize</c>, each checked by name. Without
    /// <c>page</c> or <c>pageSize</c> the answer holds every handover, as before paging existed.
    /// </summary>
    public static InboxQuery Read(IQueryCollection request, ValidationErrors errors)
    {
        var filter = InboxFilter.All;
        if (request.ContainsKey("filter") && !Codes.TryGetValue(request["filter"].ToString(), out filter))
        {
            errors.Add("filter", $"must be one of {string.Join(", ", Codes.Keys)}");
        }

        string? journeyRef = null;
        if (request.ContainsKey("ref"))
        {
            journeyRef = request["ref"].ToString();
            errors.Reference("ref", journeyRef);
        }

        return new InboxQuery(filter, journeyRef, WorklistPage.Read(request, errors));
    }

    private static readonly IReadOnlyDictionary<string, InboxFilter> Codes =
        Enum.GetValues<InboxFilter>().ToDictionary(f => ApiJson.Code(f), StringComparer.Ordinal);

    /// <summary>The inbox of a provider the caller has been checked to act for.</summary>
    public static async Task<HandoverInbox> InboxAsync(
        string provider,
        InboxQuery query,
        IQuerySession session,
        LocalDate today,
        ContinuityRules rules,
        CancellationToken cancellation)
    {
        var names = await OrganisationsEndpoint.CurrentAsync(session, cancellation);
        var (items, counts) = await HandoverInboxQuery.ReadAsync(
            provider, query, session, today, rules, names, cancellation);
        return new HandoverInbox(
            provider, today, rules.Window.Days, items, query.Filter, query.JourneyRef, counts.Of(query.Filter),
            query.Page.Number, query.Page.Take, counts)
        {
            ProviderName = names.NameOf(OrganisationKind.Provider, provider),
        };
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
