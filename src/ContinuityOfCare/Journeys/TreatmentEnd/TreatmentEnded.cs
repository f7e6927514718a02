using ContinuityOfCare.Journeys;
using ContinuityOfCare.Continuity;
using NodaTime;

namespace ContinuityOfCare.Journeys.TreatmentEnd;

/// <summary>
/// Community treatment ended: completed, dropped out (disengaged), transferred, died or went into custody.
/// </summary>
public sealed record TreatmentEnded(LocalDate EndedOn, TreatmentEndReason Reason) : IJourneyEvent;
