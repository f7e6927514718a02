using ContinuityOfCare.Journeys;
using NodaTime;

namespace ContinuityOfCare.Journeys.Registration;

/// <summary>
/// A prison healthcare team opened a journey: a person with a treatment need, from custody treatment (or an arrest
/// or court-order entry point) on <see cref="CustodyTreatmentStartedOn"/>.
/// </summary>
public sealed record JourneyOpened(
    string JourneyRef,
    string PersonRef,
    string PrisonCode,
    Sex Sex,
    int? BirthYear,
    SubstanceGroup SubstanceGroup,
    LocalDate CustodyTreatmentStartedOn,
    EntryPoint? EntryPoint = null) : IJourneyEvent;

/// <summary>How the treatment need came to the service's attention; absent means custody treatment.</summary>
public enum EntryPoint
{
    CustodyTreatment,
    Arrest,
    CourtOrder,
}
