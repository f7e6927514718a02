using ContinuityOfCare.Journeys;
using NodaTime;

namespace ContinuityOfCare.Journeys.Handover;

/// <summary>
/// The prison team referred the person to a community provider: the handover now awaits acknowledgement.
/// </summary>
public sealed record ReferredToProvider(LocalDate ReferredOn, string Provider) : IJourneyEvent;

/// <summary>The provider accepted the handover, possibly with a first appointment date.</summary>
public sealed record HandoverAcknowledged(string Provider, LocalDate AcknowledgedOn, LocalDate? FirstAppointmentOn)
    : IJourneyEvent;

public enum DeclineReason
{
    WrongArea,
    NotEligible,
    NoCapacity,
    Duplicate,
    Other,
}

/// <summary>The provider declined the handover; the prison team can refer again.</summary>
public sealed record HandoverDeclined(string Provider, LocalDate DeclinedOn, DeclineReason Reason) : IJourneyEvent;

/// <summary>The handover moved to another provider, which must acknowledge it afresh.</summary>
public sealed record HandoverRedirected(string FromProvider, string ToProvider, LocalDate RedirectedOn)
    : IJourneyEvent;

public sealed record AppointmentBooked(LocalDate AppointmentOn) : IJourneyEvent;

public sealed record AppointmentMissed(LocalDate AppointmentOn) : IJourneyEvent;

/// <summary>A community worker met the person at the prison gate on release.</summary>
public sealed record MetAtGate(LocalDate MetOn) : IJourneyEvent;
