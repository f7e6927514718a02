using NodaTime;

namespace ContinuityOfCare.Journeys.Registration;

/// <summary>A prison healthcare team opened a journey: a person in custody with a treatment need, in treatment.</summary>
public sealed record JourneyOpened(
    string JourneyRef,
    string PersonRef,
    string PrisonCode,
    Sex Sex,
    int? BirthYear,
    SubstanceGroup SubstanceGroup,
    LocalDate CustodyTreatmentStartedOn);
