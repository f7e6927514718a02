using NodaTime;

namespace ContinuityOfCare.Samples;

/// <summary>
/// One POST of a journey's story, recorded on <see cref="RecordedOn"/> (the day the service learns of it).
/// </summary>
public sealed record PlannedStep(LocalDate RecordedOn, int Order, string Action, object Body);

public enum ExitKind
{
    Died,
    Deported,
    ReturnedToCustody,
}

public sealed record PlannedRelease(
    LocalDate ReleasedOn,
    string ReleaseType,
    string LocalAuthority,
    string Provider,
    bool? NoFixedAbode,
    bool? Naloxone,
    bool? MetAtGate);

/// <summary>
/// A synthetic journey: the facts (as they finally stand and as first recorded) and the steps that post them. The
/// facts are what the tests' reference computation counts; the steps are what the service is told.
/// <see cref="LapseReasons"/> are the reasons given for a lapsed window, in the order recorded (a later one corrects).
/// </summary>
public sealed record JourneyPlan(
    string JourneyRef,
    string PersonRef,
    string Prison,
    string Sex,
    int? BirthYear,
    string SubstanceGroup,
    LocalDate CustodyStart,
    PlannedRelease? Release,
    LocalDate? ReleaseCorrectedTo,
    string? RedirectedTo,
    LocalDate? PickupOn,
    (ExitKind Kind, LocalDate On)? Exit,
    (LocalDate On, string Reason)? Ending,
    IReadOnlyList<PlannedStep> Steps,
    IReadOnlyList<(LocalDate RecordedOn, string Reason)>? LapseReasons = null)
{
    /// <summary>The provider the journey ends up with: a redirect moves it.</summary>
    public string? Provider => RedirectedTo ?? Release?.Provider;

    /// <summary>The release date as it finally stands.</summary>
    public LocalDate? ReleasedOn => ReleaseCorrectedTo ?? Release?.ReleasedOn;
}
