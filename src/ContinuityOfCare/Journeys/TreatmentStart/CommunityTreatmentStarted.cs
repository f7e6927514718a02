using ContinuityOfCare.Journeys;
using NodaTime;

namespace ContinuityOfCare.Journeys.TreatmentStart;

/// <summary>
/// The pickup: the first community structured-treatment intervention after release, on <see cref="StartedOn"/>.
/// </summary>
public sealed record CommunityTreatmentStarted(LocalDate StartedOn) : IJourneyEvent;
