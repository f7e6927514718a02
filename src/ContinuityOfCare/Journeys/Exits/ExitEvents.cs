using ContinuityOfCare.Journeys;
using NodaTime;

namespace ContinuityOfCare.Journeys.Exits;

public sealed record Died(LocalDate DiedOn) : IJourneyEvent;

public sealed record Deported(LocalDate DeportedOn) : IJourneyEvent;

public enum ReturnToCustodyReason
{
    Recall,
    Remand,
    NewSentence,
}

/// <summary>
/// Back in custody after release; this journey ends there and a new custody episode is a new journey.
/// </summary>
public sealed record ReturnedToCustody(LocalDate ReturnedOn, ReturnToCustodyReason Reason) : IJourneyEvent;
