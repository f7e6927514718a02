using ContinuityOfCare.Journeys;
using NodaTime;

namespace ContinuityOfCare.Journeys.Corrections;

/// <summary>The recorded dates that can be corrected, as named in the API.</summary>
public enum CorrectableDate
{
    CustodyTreatmentStart,
    Release,
    CommunityTreatmentStart,
    TreatmentEnd,
    Death,
    Deportation,
    ReturnToCustody,
}

/// <summary>
/// A date was recorded in error. The original event stays in the history; this one records what it should have
/// been and why, and every figure follows the corrected date.
/// </summary>
public sealed record DateCorrected(CorrectableDate Fact, LocalDate WasOn, LocalDate CorrectedOn, string Reason)
    : IJourneyEvent;
