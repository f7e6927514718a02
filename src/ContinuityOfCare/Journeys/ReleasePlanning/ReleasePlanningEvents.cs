using ContinuityOfCare.Journeys;
using NodaTime;

namespace ContinuityOfCare.Journeys.ReleasePlanning;

/// <summary>The prison expects to release on <see cref="ReleaseOn"/>; a later one reschedules.</summary>
public sealed record ReleaseScheduled(LocalDate ReleaseOn) : IJourneyEvent;

/// <summary>A move between prisons: not a release, so no window starts.</summary>
public sealed record TransferredBetweenPrisons(LocalDate TransferredOn, string FromPrisonCode, string ToPrisonCode)
    : IJourneyEvent;
