using ContinuityOfCare.Access;
using ContinuityOfCare.Continuity;
using ContinuityOfCare.Http;
using Microsoft.AspNetCore.Mvc;
using NodaTime;
using Wolverine.Http;
using Wolverine;

namespace ContinuityOfCare.Journeys.Handover;

public sealed record ReferToProviderRequest(LocalDate? ReferredOn, string? Provider) : ICheckedRequest
{
    public ValidationErrors Errors(LocalDate today) =>
        new ValidationErrors().Also(e => e.PastDate("referredOn", ReferredOn, today)).Also(e => e.Code("provider", Provider));
}

public sealed record AcknowledgeHandoverRequest(LocalDate? FirstAppointmentOn = null, LocalDate? AcknowledgedOn = null) : ICheckedRequest
{
    public ValidationErrors Errors(LocalDate today) => new ValidationErrors()
        .Also(e => { if (FirstAppointmentOn is not null) e.PlannedDate("firstAppointmentOn", FirstAppointmentOn, today); })
        .Also(e => { if (AcknowledgedOn is not null) e.PastDate("acknowledgedOn", AcknowledgedOn, today); });
}

public sealed record DeclineHandoverRequest(DeclineReason? Reason, LocalDate? DeclinedOn = null) : ICheckedRequest
{
    public ValidationErrors Errors(LocalDate today) => new ValidationErrors()
        .Also(e => e.Required("reason", Reason))
        .Also(e => { if (DeclinedOn is not null) e.PastDate("declinedOn", DeclinedOn, today); });
}

public sealed record RedirectHandoverRequest(string? ToProvider, LocalDate? RedirectedOn = null) : ICheckedRequest
{
    public ValidationErrors Errors(LocalDate today) => new ValidationErrors()
        .Also(e => e.Code("toProvider", ToProvider))
        .Also(e => { if (RedirectedOn is not null) e.PastDate("redirectedOn", RedirectedOn, today); });
}

public sealed record AppointmentRequest(LocalDate? AppointmentOn) : ICheckedRequest
{
    public ValidationErrors Errors(LocalDate today) => new ValidationErrors().Also(e => e.PlannedDate("appointmentOn", AppointmentOn, today));
}

public sealed record MissedAppointmentRequest(LocalDate? AppointmentOn) : ICheckedRequest
{
    public ValidationErrors Errors(LocalDate today) => new ValidationErrors().Also(e => e.PastDate("appointmentOn", AppointmentOn, today));
}

public sealed record MetAtGateRequest(LocalDate? MetOn) : ICheckedRequest
{
    public ValidationErrors Errors(LocalDate today) => new ValidationErrors().Also(e => e.PastDate("metOn", MetOn, today));
}

/// <summary>
/// The handover from the prison team to a community provider: referral, then the provider acknowledges, declines or
/// redirects it; appointments and meeting at the gate. Dates the caller leaves out are today's (Europe/London).
/// </summary>
public static class HandoverEndpoints
{
    [WolverinePost("/api/v1/journeys/{journeyId}/referral")]
    [RequestBody(typeof(ReferToProviderRequest))]
    [ProducesResponseType<JourneyWritten>(200)]
    public static Task<IResult> PostReferral(Guid journeyId, HttpRequest request, JourneyWriter writer, IMessageBus bus, CancellationToken cancellation) =>
        writer.RecordAsync<ReferToProviderRequest>(
            journeyId, request, bus, Side.Prison, (body, _) => journey => DecideReferral(journey.Facts, new ReferredToProvider(body.ReferredOn!.Value, body.Provider!)),
            cancellation);

    [WolverinePost("/api/v1/journeys/{journeyId}/handover-acknowledgement")]
    [RequestBody(typeof(AcknowledgeHandoverRequest))]
    [ProducesResponseType<JourneyWritten>(200)]
    public static Task<IResult> PostAcknowledgement(Guid journeyId, HttpRequest request, JourneyWriter writer, IMessageBus bus, CancellationToken cancellation) =>
        writer.RecordAsync<AcknowledgeHandoverRequest>(
            journeyId, request, bus, Side.Provider, (body, today) => journey => DecideAcknowledgement(journey.Facts, body, today), cancellation);

    [WolverinePost("/api/v1/journeys/{journeyId}/handover-decline")]
    [RequestBody(typeof(DeclineHandoverRequest))]
    [ProducesResponseType<JourneyWritten>(200)]
    public static Task<IResult> PostDecline(Guid journeyId, HttpRequest request, JourneyWriter writer, IMessageBus bus, CancellationToken cancellation) =>
        writer.RecordAsync<DeclineHandoverRequest>(
            journeyId, request, bus, Side.Provider, (body, today) => journey => DecideDecline(journey.Facts, body, today), cancellation);

    [WolverinePost("/api/v1/journeys/{journeyId}/handover-redirect")]
    [RequestBody(typeof(RedirectHandoverRequest))]
    [ProducesResponseType<JourneyWritten>(200)]
    public static Task<IResult> PostRedirect(Guid journeyId, HttpRequest request, JourneyWriter writer, IMessageBus bus, CancellationToken cancellation) =>
        writer.RecordAsync<RedirectHandoverRequest>(
            journeyId, request, bus, Side.Either, (body, today) => journey => DecideRedirect(journey.Facts, body, today), cancellation);

    [WolverinePost("/api/v1/journeys/{journeyId}/appointment")]
    [RequestBody(typeof(AppointmentRequest))]
    [ProducesResponseType<JourneyWritten>(200)]
    public static Task<IResult> PostAppointment(Guid journeyId, HttpRequest request, JourneyWriter writer, IMessageBus bus, CancellationToken cancellation) =>
        writer.RecordAsync<AppointmentRequest>(
            journeyId, request, bus, Side.Provider, (body, _) => journey => DecideAppointment(journey.Facts, new AppointmentBooked(body.AppointmentOn!.Value)), cancellation);

    [WolverinePost("/api/v1/journeys/{journeyId}/missed-appointment")]
    [RequestBody(typeof(MissedAppointmentRequest))]
    [ProducesResponseType<JourneyWritten>(200)]
    public static Task<IResult> PostMissedAppointment(Guid journeyId, HttpRequest request, JourneyWriter writer, IMessageBus bus, CancellationToken cancellation) =>
        writer.RecordAsync<MissedAppointmentRequest>(
            journeyId, request, bus, Side.Provider, (body, _) => journey => DecideMissedAppointment(journey.Facts, new AppointmentMissed(body.AppointmentOn!.Value)),
            cancellation);

    [WolverinePost("/api/v1/journeys/{journeyId}/met-at-gate")]
    [RequestBody(typeof(MetAtGateRequest))]
    [ProducesResponseType<JourneyWritten>(200)]
    public static Task<IResult> PostMetAtGate(Guid journeyId, HttpRequest request, JourneyWriter writer, IMessageBus bus, CancellationToken cancellation) =>
        writer.RecordAsync<MetAtGateRequest>(
            journeyId, request, bus, Side.Either, (body, _) => journey => DecideMetAtGate(journey.Facts, new MetAtGate(body.MetOn!.Value)), cancellation);

    public static Decision DecideReferral(JourneyFacts journey, ReferredToProvider referral)
    {
        if ((Decision.IfClosed(journey, "provider") ?? NotAfterPickup(journey, "provider")) is { } refused)
        {
            return refused;
        }

        return journey.Handover switch
        {
            { Status: not HandoverStatus.Declined } h when h.Provider == referral.Provider => Decision.Unchanged,
            { Status: not HandoverStatus.Declined } h => Decision.Reject(
                "provider", $"the journey is already handed over to {h.Provider}: redirect the handover instead"),
            _ when referral.ReferredOn < journey.CustodyTreatmentStartedOn => Decision.Reject(
                "referredOn", $"is before custody treatment started ({journey.CustodyTreatmentStartedOn.Iso()})"),
            _ => Decision.Accept(referral),
        };
    }

    public static Decision DecideAcknowledgement(JourneyFacts journey, AcknowledgeHandoverRequest request, LocalDate today)
    {
        if (Decision.IfClosed(journey, "acknowledgedOn") is { } closed)
        {
            return closed;
        }

        return journey.Handover switch
        {
            null => Decision.Reject("acknowledgedOn", "there is no handover to acknowledge: the journey has not been referred to a provider"),
            { Status: HandoverStatus.Declined } h => Decision.Reject("acknowledgedOn", $"{h.Provider} declined the handover; the prison team must refer again"),
            { Status: HandoverStatus.Acknowledged } h => h.FirstAppointmentOn == request.FirstAppointmentOn
                ? Decision.Unchanged
                : Decision.Reject("firstAppointmentOn", $"{h.Provider} already acknowledged the handover on {h.Since.Iso()}; book the appointment instead"),
            { } h => NotBefore(h, request.AcknowledgedOn ?? today, "acknowledgedOn", h.Since)
                ?? NotBefore(h, request.FirstAppointmentOn, "firstAppointmentOn", h.HandedOverOn)
                ?? Decision.Accept(new HandoverAcknowledged(h.Provider, request.AcknowledgedOn ?? today, request.FirstAppointmentOn)),
        };
    }

    public static Decision DecideDecline(JourneyFacts journey, DeclineHandoverRequest request, LocalDate today)
    {
        if ((Decision.IfClosed(journey, "reason") ?? NotAfterPickup(journey, "reason")) is { } refused)
        {
            return refused;
        }

        return journey.Handover switch
        {
            null => Decision.Reject("reason", "there is no handover to decline: the journey has not been referred to a provider"),
            { Status: HandoverStatus.Declined } h when h.DeclineReason == request.Reason => Decision.Unchanged,
            { Status: HandoverStatus.Declined } h => Decision.Reject("reason", $"{h.Provider} already declined the handover"),
            { Status: HandoverStatus.Acknowledged } h => Decision.Reject(
                "reason", $"{h.Provider} already acknowledged the handover; redirect it to another provider instead"),
            { } h => NotBefore(h, request.DeclinedOn ?? today, "declinedOn", h.Since)
                ?? Decision.Accept(new HandoverDeclined(h.Provider, request.DeclinedOn ?? today, request.Reason!.Value)),
        };
    }

    public static Decision DecideRedirect(JourneyFacts journey, RedirectHandoverRequest request, LocalDate today)
    {
        if ((Decision.IfClosed(journey, "toProvider") ?? NotAfterPickup(journey, "toProvider")) is { } refused)
        {
            return refused;
        }

        return journey.Handover switch
        {
            null or { Status: HandoverStatus.Declined } => Decision.Reject("toProvider", "there is no open handover to redirect: refer the journey instead"),
            { } h when h.Provider == request.ToProvider => h.Status == HandoverStatus.AwaitingAcknowledgement
                ? Decision.Unchanged
                : Decision.Reject("toProvider", $"the handover is already with {h.Provider}"),
            { } h => NotBefore(h, request.RedirectedOn ?? today, "redirectedOn", h.Since)
                ?? Decision.Accept(new HandoverRedirected(h.Provider, request.ToProvider!, request.RedirectedOn ?? today)),
        };
    }

    public static Decision DecideAppointment(JourneyFacts journey, AppointmentBooked booked)
    {
        if (Decision.IfClosed(journey, "appointmentOn") is { } closed)
        {
            return closed;
        }

        if (journey.Handover is not { Status: HandoverStatus.Acknowledged } handover)
        {
            return Decision.Reject("appointmentOn", "the handover has not been acknowledged by a provider");
        }

        return journey.AppointmentsBooked.Contains(booked.AppointmentOn)
            ? Decision.Unchanged
            : NotBefore(handover, booked.AppointmentOn, "appointmentOn", handover.HandedOverOn) ?? Decision.Accept(booked);
    }

    public static Decision DecideMissedAppointment(JourneyFacts journey, AppointmentMissed missed)
    {
        if (journey.Release is not { } release)
        {
            return Decision.Reject("appointmentOn", "the journey has no release yet");
        }

        if (missed.AppointmentOn < release.ReleasedOn)
        {
            return Decision.Reject("appointmentOn", $"is before the release on {release.ReleasedOn.Iso()}");
        }

        return journey.AppointmentsMissed.Contains(missed.AppointmentOn) ? Decision.Unchanged : Decision.Accept(missed);
    }

    public static Decision DecideMetAtGate(JourneyFacts journey, MetAtGate met)
    {
        if (journey.Release is null)
        {
            return Decision.Reject("metOn", "the journey has no release yet: record the release first");
        }

        return journey.MetAtGateOn switch
        {
            { } earlier when earlier == met.MetOn => Decision.Unchanged,
            { } earlier => Decision.Reject("metOn", $"meeting at the gate is already recorded on {earlier.Iso()}"),
            _ => Decision.AcceptIfConsistent(journey, met, "metOn"),
        };
    }

    /// <summary>A step of the handover dated before the handover (or its last step) is refused, naming the field.</summary>
    private static Decision? NotBefore(HandoverState handover, LocalDate? date, string field, LocalDate since) =>
        date < since ? Decision.Reject(field, $"is before the handover to {handover.Provider} on {since.Iso()}") : null;

    /// <summary>Once community treatment has started the handover has done its job; changing it would rewrite history.</summary>
    private static Decision? NotAfterPickup(JourneyFacts journey, string field) =>
        journey.CommunityTreatmentStartedOn is { } started
            ? Decision.Reject(field, $"community treatment already started on {started.Iso()}: the handover is complete")
            : null;
}
