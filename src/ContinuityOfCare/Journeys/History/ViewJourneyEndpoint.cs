using ContinuityOfCare.Continuity;
using ContinuityOfCare.Http;
using ContinuityOfCare.Journeys.Release;
using JasperFx.Events;
using Marten;
using NodaTime;
using Wolverine.Http;

namespace ContinuityOfCare.Journeys.History;

public sealed record JourneyView(
    Guid JourneyId,
    string JourneyRef,
    string PersonRef,
    string PrisonCode,
    Sex Sex,
    int? BirthYear,
    SubstanceGroup SubstanceGroup,
    LocalDate CustodyTreatmentStartedOn,
    JourneyStage Stage,
    ReleasedFromCustody? Release,
    LocalDate? CommunityTreatmentStartedOn,
    ContinuityView? Continuity,
    long Version,
    IReadOnlyList<HistoryEntry> History);

/// <summary>Where a released journey stands against its window today.</summary>
public sealed record ContinuityView(
    int WindowDays,
    LocalDate WindowLastDay,
    ReleaseOutcome Outcome,
    int? DaysFromReleaseToPickup,
    int DaysLeftInWindow,
    LocalDate AsOf);

/// <summary>One event as recorded: what happened (business dates in <see cref="Data"/>) and when it was recorded.</summary>
public sealed record HistoryEntry(long Version, long Sequence, string Type, Instant RecordedAt, string? CorrelationId, object Data);

public static class ViewJourneyEndpoint
{
    [WolverineGet("/api/v1/journeys/{journeyId}")]
    public static async Task<IResult> Get(
        Guid journeyId, IQuerySession session, IClock clock, ContinuitySettings settings, CancellationToken cancellation)
    {
        var journey = await session.LoadAsync<Journey>(journeyId, cancellation);
        if (journey is null)
        {
            return Problems.UnknownJourney(journeyId);
        }

        var events = await session.Events.FetchStreamAsync(journeyId, token: cancellation);
        return Results.Ok(View(journey, events, LondonCalendar.Today(clock), settings.Window));
    }

    public static JourneyView View(Journey journey, IReadOnlyList<IEvent> events, LocalDate today, ContinuityWindow window)
    {
        ContinuityView? continuity = null;
        if (journey.Release is { } release)
        {
            var pickup = journey.CommunityTreatmentStartedOn;
            continuity = new ContinuityView(
                window.Days,
                window.LastDay(release.ReleasedOn),
                ReleaseOutcomes.Classify(release.ReleasedOn, pickup, today, window),
                pickup is { } p ? ContinuityWindow.DayNumber(release.ReleasedOn, p) : null,
                window.DaysLeft(release.ReleasedOn, today),
                today);
        }

        var history = events
            .Select(e => new HistoryEntry(
                e.Version, e.Sequence, e.EventTypeName, Instant.FromDateTimeOffset(e.Timestamp), e.CorrelationId, e.Data))
            .ToList();

        return new JourneyView(
            journey.Id, journey.JourneyRef, journey.PersonRef, journey.PrisonCode, journey.Sex, journey.BirthYear,
            journey.SubstanceGroup, journey.CustodyTreatmentStartedOn, journey.Stage, journey.Release,
            journey.CommunityTreatmentStartedOn, continuity, journey.Version, history);
    }
}
