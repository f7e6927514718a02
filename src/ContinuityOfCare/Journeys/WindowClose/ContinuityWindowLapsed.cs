using ContinuityOfCare.Journeys;
using NodaTime;

namespace ContinuityOfCare.Journeys.WindowClose;

/// <summary>
/// Recorded when the window closed with no pickup: the journey is now not engaged. A pickup recorded later with a
/// date inside the window still makes it engaged, because outcomes follow business dates.
/// </summary>
public sealed record ContinuityWindowLapsed(LocalDate WindowLastDay) : IJourneyEvent;
