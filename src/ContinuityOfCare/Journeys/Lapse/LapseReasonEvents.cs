using NodaTime;

namespace ContinuityOfCare.Journeys.Lapse;

/// <summary>
/// Why a window closed without a pickup, as the provider or the releasing prison found out. Written in the API as
/// kebab-case (`returned-to-custody-not-recorded`); the names are part of the HTTP contract.
/// </summary>
public enum LapseReason
{
    NotReferred,
    ReferralDeclined,
    NoContactDetails,
    DidNotAttend,
    DeclinedTreatment,
    MovedArea,
    InHospital,
    ReturnedToCustodyNotRecorded,
    DiedNotRecorded,
    Other,
}

/// <summary>
/// The reason a journey's window lapsed, learnt on <paramref name="LearnedOn"/>. <paramref name="Text"/> says more
/// for <see cref="LapseReason.Other"/> only; it is masked on erasure like every free text.
/// </summary>
public sealed record LapseReasonRecorded(LapseReason Reason, string? Text, LocalDate LearnedOn) : IJourneyEvent;

/// <summary>
/// A different reason replaced the recorded one. The original stays in the history; the figures follow this one.
/// </summary>
public sealed record LapseReasonCorrected(LapseReason WasReason, LapseReason Reason, string? Text, LocalDate LearnedOn)
    : IJourneyEvent;

/// <summary>The reason the journey's window lapsed, as it stands after any corrections.</summary>
public sealed record LapseExplanation(LapseReason Reason, string? Text, LocalDate LearnedOn);
