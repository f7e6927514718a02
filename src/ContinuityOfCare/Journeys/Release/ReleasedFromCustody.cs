using ContinuityOfCare.Journeys;
using NodaTime;

namespace ContinuityOfCare.Journeys.Release;

/// <summary>
/// The person left custody for the community; the continuity window starts on <see cref="ReleasedOn"/>.
/// </summary>
public sealed record ReleasedFromCustody(
    LocalDate ReleasedOn,
    ReleaseType ReleaseType,
    string DestinationLocalAuthority,
    string CommunityProvider,
    bool? NoFixedAbode,
    bool? NaloxoneSupplied,
    bool? MetAtGate) : IJourneyEvent;
