using ContinuityOfCare.Access;
using ContinuityOfCare.Continuity;
using ContinuityOfCare.Http;
using ContinuityOfCare.Journeys.Exits;
using ContinuityOfCare.Journeys.Lapse;
using ContinuityOfCare.Journeys.Registration;
using ContinuityOfCare.Journeys.Release;
using JasperFx.Events;
using Marten;
using Microsoft.AspNetCore.Mvc;
using NodaTime;
using Wolverine.Http;

namespace ContinuityOfCare.Journeys.History;

public sealed record JourneyView(
    Guid JourneyId,
    string JourneyRef,
    string PersonRef,
    JourneyStage Stage,
    long Version,
    string PrisonCode,
    Sex Sex,
    int? BirthYear,
    SubstanceGroup SubstanceGroup,
    EntryPoint EntryPoint,
    LocalDate CustodyTreatmentStartedOn,
    LocalDate? ReleaseScheduledOn,
    HandoverState? Handover,
    IReadOnlyList<LocalDate> AppointmentsBooked,
    IReadOnlyList<LocalDate> AppointmentsMissed,
    bool MetAtGate,
    ReleasedFromCustody? Release,
    LocalDate? CommunityTreatmentStartedOn,
    TreatmentEnding? TreatmentEnding,
    LocalDate? DiedOn,
    LocalDate? DeportedOn,
    ReturnedToCustody? ReturnedToCustody,
    ContinuityView? Continuity,
    IReadOnlyList<HistoryEntry> History,
    LapseExplanation? WhyLapsed = null);

/// <summary>
/// Where a released journey stands against its window (and, once picked up in it, its retention horizon) today.
/// </summary>
public sealed record ContinuityView(
    int WindowDays,
    LocalDate WindowLastDay,
    ReleaseOutcome Outcome,
    ExclusionReason? ExclusionReason,
    int? DaysFromReleaseToPickup,
    int DaysLeftInWindow,
    bool WindowLapsed,
    LocalDate RetentionHorizon,
    RetentionOutcome? Retention,
    LocalDate AsOf);

/// <summary>
/// One event as recorded: what happened (business dates in <see cref="Data"/>) and when it was recorded. A correction
/// is an entry of its own, so the original date stays visible beside the corrected one.
/// </summary>
public sealed record HistoryEntry(
    long Version,
    long Sequence,
    string Type,
    Instant RecordedAt,
    RecordedBy? RecordedBy,
    string? CorrelationId,
    object Data);

public static class ViewJourneyEndpoint
{
    [WolverineGet("/api/v1/journeys/{journeyId}", Summary = "A journey: its state, its window and its history")]
    [ProducesResponseType<JourneyView>(200)]
    public static async Task<IResult> Get(
        Guid journeyId,
        HttpContext http,
        IQuerySession session,
        IClock clock,
        ContinuityRules rules,
        CancellationToken cancellation)
    {
        var journey = await session.LoadAsync<Journey>(journeyId, cancellation);
        if (journey is null)
        {
            return Problems.UnknownJourney(journeyId);
        }

        if (!Caller.Of(http).MayAct(Side.Either, journey.Facts))
        {
            return Problems.Forbidden(Caller.NotYours(Side.Either, journeyId));
        }

        var events = await session.Events.FetchStreamAsync(journeyId, token: cancellation);
        return Results.Ok(View(journey, events, LondonCalendar.Today(clock), rules));
    }

    public static JourneyView View(
        Journey journey, IReadOnlyList<IEvent> events, LocalDate today, ContinuityRules rules)
    {
        var facts = journey.Facts;
        var history = events
            .Select(e => new HistoryEntry(
                e.Version, e.Sequence, e.EventTypeName, Instant.FromDateTimeOffset(e.Timestamp), Audit.Of(e.Headers),
                e.CorrelationId, e.Data))
            .ToList();

        return new JourneyView(
            journey.Id, journey.JourneyRef, journey.PersonRef, facts.Stage, journey.Version, facts.PrisonCode,
            facts.Sex, facts.BirthYear, facts.SubstanceGroup, facts.EntryPoint, facts.CustodyTreatmentStartedOn,
            facts.ReleaseScheduledOn, facts.Handover, facts.AppointmentsBooked, facts.AppointmentsMissed,
            facts.MetAtGate, facts.Release, facts.CommunityTreatmentStartedOn, facts.TreatmentEnding, facts.DiedOn,
            facts.DeportedOn, facts.ReturnedToCustody, Standing(facts, today, rules), history, facts.WhyLapsed);
    }

    private static ContinuityView? Standing(JourneyFacts facts, LocalDate today, ContinuityRules rules)
    {
        if (facts.Continuity is not { } continuity)
        {
            return null;
        }

        var released = continuity.ReleasedOn;
        var classification = ReleaseOutcomes.Classify(continuity, today, rules);
        return new ContinuityView(
            rules.Window.Days,
            rules.Window.LastDay(released),
            classification.Outcome,
            classification.Reason,
            continuity.Pickup is { } p ? ContinuityWindow.DayNumber(released, p) : null,
            rules.Window.DaysLeft(released, today),
            facts.WindowLapsedAfter == rules.Window.LastDay(released),
            Retention.Horizon(released, rules),
            Retention.Classify(continuity, today, rules),
            today);
    }
}
